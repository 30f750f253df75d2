import {
  COHORT_KINDS,
  COHORT_PHASES,
  COHORT_ROLES,
  CohortKind,
  CohortPhase,
  CohortRole,
  CreateCohortRequest,
  CreateRoomRequest,
  NAME_MAX_LENGTH,
  REASON_MAX_LENGTH,
  ROOM_MEMBERS_MAX,
  UpdateCohortRequest,
  UpdateMemberRequest,
} from '@hearth/protocol';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateCohortDto implements CreateCohortRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name!: string;

  @IsIn(COHORT_KINDS)
  kind!: CohortKind;

  @IsString()
  @Matches(DATE, { message: 'starts_on must be a date, YYYY-MM-DD' })
  starts_on!: string;

  @IsString()
  @Matches(DATE, { message: 'ends_on must be a date, YYYY-MM-DD' })
  ends_on!: string;

  @IsString()
  @MaxLength(64)
  timezone!: string;
}

export class UpdateCohortDto implements UpdateCohortRequest {
  @IsIn(COHORT_PHASES)
  phase!: CohortPhase;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class UpdateMemberDto implements UpdateMemberRequest {
  @IsOptional()
  @IsIn(COHORT_ROLES)
  role?: CohortRole;

  // IsOptional lets null through: null lifts the mute.
  @IsOptional()
  @IsISO8601({ strict: true })
  muted_until?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class ReasonDto {
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class CreateOrganizationDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name!: string;
}

export class CreateRoomDto implements CreateRoomRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name!: string;

  @IsArray()
  @ArrayMaxSize(ROOM_MEMBERS_MAX)
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  members!: string[];
}

export class AddRoomMemberDto {
  @IsString()
  @MaxLength(255)
  user_id!: string;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}
