import { COHORT_ROLES, CohortRole, CreateInviteRequest } from '@hearth/protocol';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_INVITE_USES = 1000;
export const MAX_INVITE_HOURS = 30 * 24;

export class CreateInviteDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INVITE_USES)
  max_uses?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INVITE_HOURS)
  expires_in_hours?: number;
}

export class CreateCohortInviteDto extends CreateInviteDto implements CreateInviteRequest {
  @IsIn(COHORT_ROLES)
  role!: CohortRole;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  organization_id?: string;
}
