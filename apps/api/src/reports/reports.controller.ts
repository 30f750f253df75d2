import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  FiledReportsResponse,
  REASON_MAX_LENGTH,
  REPORT_OUTCOMES,
  ReportOutcome,
  ReportResponse,
  ReportsResponse,
  ResolveReportRequest,
} from '@hearth/protocol';
import { IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { ReportsService } from './reports.service';

export class ReportDto {
  /** Checked as Megolm ciphertext by the service (checkEncryptedContent). */
  @IsObject()
  evidence!: Record<string, unknown>;
}

export class ResolveReportDto implements ResolveReportRequest {
  @IsIn(REPORT_OUTCOMES)
  outcome!: ReportOutcome;

  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  muted_until?: string;
}

/** Reports of messages: filed by members, read and resolved by their cohort's coordinators only. */
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** The body is `{evidence}`: the reporter's account of the event and their reason, Megolm-encrypted. */
  @Post('rooms/:roomId/report/:eventId')
  @HttpCode(200)
  file(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('eventId') eventId: string,
    @Body() dto: ReportDto,
  ): Promise<ReportResponse> {
    return this.reports.file(auth, roomId, eventId, dto.evidence);
  }

  /** Coordinators: the open reports of their cohort, with their evidence ciphertext. */
  @Get('cohorts/:cohortId/reports')
  async open(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<ReportsResponse> {
    return { reports: await this.reports.open(auth, cohortId) };
  }

  /** Coordinators: dismiss, or mute, remove or delete the message, with a reason: one transaction. */
  @Post('cohorts/:cohortId/reports/:reportId/resolve')
  @HttpCode(200)
  async resolve(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('reportId') reportId: string,
    @Body() dto: ResolveReportDto,
  ): Promise<Record<string, never>> {
    await this.reports.resolve(auth, cohortId, reportId, dto);
    return {};
  }

  /** The reports one filed: open or handled, and whether something was done. */
  @Get('account/reports')
  async filed(@Auth() auth: AuthContext): Promise<FiledReportsResponse> {
    return { reports: await this.reports.filed(auth) };
  }
}
