import { REASON_MAX_LENGTH, RETENTION_DAYS, RetentionDays } from '@hearth/protocol';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** `PUT /rooms/{roomId}/retention`: one of the listed numbers of days (0: off), and an optional reason. */
export class SetRetentionDto {
  @IsIn(RETENTION_DAYS)
  days!: RetentionDays;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}
