import {
  ArchiveCohortRequest,
  PASSWORD_MAX_LENGTH,
  PostponePurgeRequest,
  PURGE_POSTPONE_DAYS,
  PurgePostponeDays,
  REASON_MAX_LENGTH,
} from '@hearth/protocol';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class PostponePurgeDto implements PostponePurgeRequest {
  @IsIn(PURGE_POSTPONE_DAYS)
  days!: PurgePostponeDays;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class ArchiveCohortDto implements ArchiveCohortRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}
