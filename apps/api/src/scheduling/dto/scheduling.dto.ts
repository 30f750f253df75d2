import {
  AvailabilityShape,
  BookSessionRequest,
  CalendarFeedRequest,
  CancelSessionRequest,
  CreateEventRequest,
  EditOccurrenceRequest,
  EndSeriesRequest,
  EVENT_ATTENDANCE,
  EventAttendance,
  EventAttendanceRequest,
  MENTORING_DOMAINS,
  MentoringDomain,
  NAME_MAX_LENGTH,
  REASON_MAX_LENGTH,
  RescheduleSessionRequest,
  SESSION_ATTENDANCE,
  SessionAttendance,
  SessionAttendanceRequest,
  UpdateEventRequest,
} from '@hearth/protocol';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { INSTANT } from '../../common/time/instants';

const HH_MM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

export class LocalIntervalDto {
  @IsString()
  @Matches(HH_MM, { message: 'start must be HH:MM' })
  start!: string;

  @IsString()
  @Matches(HH_MM, { message: 'end must be HH:MM (24:00 for midnight)' })
  end!: string;
}

export class WeeklyIntervalDto extends LocalIntervalDto {
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;
}

export class OverrideDto {
  @IsString()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @IsArray()
  @ArrayMaxSize(12)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LocalIntervalDto)
  intervals!: LocalIntervalDto[];
}

export class AvailabilityDto implements AvailabilityShape {
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @IsArray()
  @ArrayMaxSize(7 * 12)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WeeklyIntervalDto)
  weekly!: WeeklyIntervalDto[];

  @IsArray()
  @ArrayMaxSize(400)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides!: OverrideDto[];

  @IsInt()
  @Min(0)
  @Max(240)
  buffer_minutes!: number;

  @IsInt()
  @Min(0)
  @Max(60 * 24 * 30)
  min_notice_minutes!: number;

  @IsInt()
  @Min(1)
  @Max(365)
  horizon_days!: number;

  @IsInt()
  @Min(1)
  @Max(24)
  max_per_day!: number;

  @IsInt()
  @Min(1)
  @Max(100)
  max_per_week!: number;
}

export class SlotsQueryDto {
  @IsString()
  @Matches(INSTANT, { message: 'from must be an ISO 8601 time with an offset or Z' })
  from!: string;

  @IsString()
  @Matches(INSTANT, { message: 'to must be an ISO 8601 time with an offset or Z' })
  to!: string;

  // Query strings are text: the number is parsed and checked by the service.
  @IsString()
  @Matches(/^\d{1,3}$/, { message: 'duration_minutes must be a whole number of minutes' })
  duration_minutes!: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{1,3}$/, { message: 'step_minutes must be a whole number of minutes' })
  step_minutes?: string;
}

export class BookSessionDto implements BookSessionRequest {
  @IsString()
  @Matches(INSTANT, { message: 'start must be an ISO 8601 time with an offset or Z' })
  start!: string;

  @IsInt()
  @Min(15)
  @Max(240)
  duration_minutes!: number;
}

export class CancelSessionDto implements CancelSessionRequest {
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class RescheduleSessionDto implements RescheduleSessionRequest {
  @IsString()
  @Matches(INSTANT, { message: 'start must be an ISO 8601 time with an offset or Z' })
  start!: string;

  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(240)
  duration_minutes?: number;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class SessionAttendanceDto implements SessionAttendanceRequest {
  @IsIn(SESSION_ATTENDANCE)
  attendance!: SessionAttendance;
}

export class CreateEventDto implements CreateEventRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  title!: string;

  @IsString()
  @Matches(LOCAL, { message: 'start_local must be YYYY-MM-DDTHH:MM (local time in the event’s zone)' })
  start_local!: string;

  @IsString()
  @MaxLength(64)
  timezone!: string;

  @IsInt()
  @Min(5)
  @Max(24 * 60)
  duration_minutes!: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  rrule?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @Matches(LOCAL, { each: true, message: 'exdates must hold YYYY-MM-DDTHH:MM local starts' })
  exdates?: string[];

  // null or absent: no domain.
  @IsOptional()
  @IsIn(MENTORING_DOMAINS)
  domain?: MentoringDomain | null;
}

export class UpdateEventDto implements UpdateEventRequest {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  title?: string;

  @IsOptional()
  @IsString()
  @Matches(LOCAL, { message: 'start_local must be YYYY-MM-DDTHH:MM' })
  start_local?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  duration_minutes?: number;

  // null is allowed: it makes the event a one-off.
  @ValidateIf((o: UpdateEventDto) => o.rrule !== null)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  rrule?: string | null;

  // null: no domain any more.
  @IsOptional()
  @IsIn(MENTORING_DOMAINS)
  domain?: MentoringDomain | null;
}

export class EditOccurrenceDto implements EditOccurrenceRequest {
  @IsOptional()
  @IsString()
  @Matches(LOCAL, { message: 'start_local must be YYYY-MM-DDTHH:MM' })
  start_local?: string;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  duration_minutes?: number;

  @IsOptional()
  @IsBoolean()
  cancelled?: boolean;
}

export class EndSeriesDto implements EndSeriesRequest {
  @IsString()
  @Matches(LOCAL, { message: 'from_occurrence must be YYYY-MM-DDTHH:MM' })
  from_occurrence!: string;
}

export class EventAttendanceDto implements EventAttendanceRequest {
  @IsString()
  @MaxLength(255)
  user_id!: string;

  @IsIn(EVENT_ATTENDANCE)
  status!: EventAttendance;
}

export class RangeQueryDto {
  @IsString()
  @Matches(INSTANT, { message: 'from must be an ISO 8601 time with an offset or Z' })
  from!: string;

  @IsString()
  @Matches(INSTANT, { message: 'to must be an ISO 8601 time with an offset or Z' })
  to!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class CalendarFeedDto implements CalendarFeedRequest {
  @IsOptional()
  @IsBoolean()
  details?: boolean;
}

export class IcsQueryDto {
  @IsOptional()
  @IsIn(['true', 'false'])
  details?: 'true' | 'false';
}
