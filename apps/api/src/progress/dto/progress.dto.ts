import {
  CreateOutcomeRequest,
  MARKER_STATUSES,
  MENTORING_DOMAINS,
  MarkerStatus,
  MentoringDomain,
  OpenReviewRequest,
  REPORT_BASES,
  REVIEW_PHASES,
  ReportBasis,
  ReviewPhase,
  UpdateMarkerRequest,
} from '@hearth/protocol';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateOutcomeDto implements CreateOutcomeRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  participant_id!: string;

  @IsIn(MENTORING_DOMAINS)
  domain!: MentoringDomain;
}

export class UpdateMarkerDto implements UpdateMarkerRequest {
  @IsIn(MARKER_STATUSES)
  status!: MarkerStatus;
}

export class OpenReviewDto implements OpenReviewRequest {
  @IsIn(REVIEW_PHASES)
  phase!: ReviewPhase;
}

export class CohortReportQueryDto {
  @IsOptional()
  @IsIn(REPORT_BASES)
  review?: ReportBasis;
}

export class ReportQueryDto extends CohortReportQueryDto {
  /** Comma-separated cohort ids. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(50 * 37)
  cohorts!: string;
}
