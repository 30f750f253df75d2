import { Body, Controller, Param, Put } from '@nestjs/common';
import { SetRetentionResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { SetRetentionDto } from './retention.dto';
import { RetentionService } from './retention.service';

@Controller('rooms')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  /** A coordinator (a cohort's room) or one of its two people (a mentorship's room) sets how long messages stay. */
  @Put(':roomId/retention')
  set(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Body() dto: SetRetentionDto,
  ): Promise<SetRetentionResponse> {
    return this.retention.set(auth, roomId, dto.days, dto.reason ?? null);
  }
}
