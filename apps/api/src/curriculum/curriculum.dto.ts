import {
  ACTIVITIES_PER_MODULE_MAX,
  ACTIVITY_KINDS,
  ACTIVITY_MINUTES_MAX,
  ACTIVITY_STATUSES,
  ActivityKind,
  ActivityStatus,
  CreateActivityRequest,
  CreateModuleRequest,
  MENTORING_DOMAINS,
  MentoringDomain,
  MODULE_STATUSES,
  ModuleStatus,
  MODULES_PER_COHORT_MAX,
  ReorderRequest,
  UpdateActivityProgressRequest,
  UpdateActivityRequest,
  UpdateModuleRequest,
} from '@hearth/protocol';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** A calendar day (null clears it: IsOptional lets null through); the service also checks it exists and is within the years a cohort can run. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CreateModuleDto implements CreateModuleRequest {
  @IsIn(MENTORING_DOMAINS)
  domain!: MentoringDomain;
}

export class UpdateModuleDto implements UpdateModuleRequest {
  @IsOptional()
  @IsIn(MENTORING_DOMAINS)
  domain?: MentoringDomain;

  @IsOptional()
  @IsIn(MODULE_STATUSES)
  status?: ModuleStatus;
}

export class ReorderDto implements ReorderRequest {
  @IsArray()
  @ArrayMaxSize(Math.max(MODULES_PER_COHORT_MAX, ACTIVITIES_PER_MODULE_MAX))
  @IsUUID('all', { each: true })
  ids!: string[];
}

export class CreateActivityDto implements CreateActivityRequest {
  @IsIn(ACTIVITY_KINDS)
  kind!: ActivityKind;

  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'due_on must be a day, YYYY-MM-DD' })
  due_on?: string | null;

  @IsInt()
  @Min(1)
  @Max(ACTIVITY_MINUTES_MAX)
  estimated_minutes!: number;
}

export class UpdateActivityDto implements UpdateActivityRequest {
  @IsOptional()
  @IsIn(ACTIVITY_KINDS)
  kind?: ActivityKind;

  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'due_on must be a day, YYYY-MM-DD' })
  due_on?: string | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(ACTIVITY_MINUTES_MAX)
  estimated_minutes?: number;
}

export class ActivityProgressDto implements UpdateActivityProgressRequest {
  @IsIn(ACTIVITY_STATUSES)
  status!: ActivityStatus;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(ACTIVITY_MINUTES_MAX)
  minutes?: number | null;

  @IsOptional()
  @IsBoolean()
  submitted?: boolean;
}
