import { Controller, Get, HttpCode } from '@nestjs/common';
import { HealthResponse } from '@hearth/protocol';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/public.decorator';

@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Public()
  @Get()
  @HttpCode(200)
  async health(): Promise<HealthResponse> {
    const db = await this.db.query('SELECT 1').then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    return { status: db === 'ok' ? 'ok' : 'degraded', db };
  }
}
