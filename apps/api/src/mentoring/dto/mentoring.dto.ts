import {
  ApproveMatchingRequest,
  COUNTRIES_MAX,
  EndMentorshipRequest,
  LANGUAGES_MAX,
  MATCHING_PAIRS_MAX,
  MENTOR_CAPACITY_MAX,
  MENTORING_DOMAINS,
  MatchingPair,
  MatchingRunRequest,
  MentorProfile,
  MentoringDomain,
  ParticipantNeeds,
  REASON_MAX_LENGTH,
  RematchRequest,
  SKILLS_MAX,
  WorkingHoursShape,
} from '@hearth/protocol';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../../common/http/page';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
  isISO6391,
} from 'class-validator';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const SKILL = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * ISO 639: a two-letter ISO 639-1 code, or a three-letter code (ISO 639-3) for the many languages
 * that have no two-letter one (Dari `prs`, Rohingya `rhg`). Use the two-letter code when there is
 * one: matching compares codes as written.
 */
function IsLanguageCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLanguageCode',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' && (/^[a-z]{3}$/i.test(v) || (/^[a-z]{2}$/i.test(v) && isISO6391(v.toLowerCase()))),
        defaultMessage: () => '$property must hold ISO 639 language codes (e.g. "ar", "fa", "prs")',
      },
    },
    options,
  );
}

export class WorkingHoursDto implements WorkingHoursShape {
  @IsString()
  @Matches(HH_MM, { message: 'working_hours.start must be HH:MM' })
  start!: string;

  @IsString()
  @Matches(HH_MM, { message: 'working_hours.end must be HH:MM' })
  end!: string;
}

export class DomainDepthsDto implements Record<MentoringDomain, number> {
  @IsInt()
  @Min(0)
  @Max(3)
  resilience!: number;

  @IsInt()
  @Min(0)
  @Max(3)
  advocacy!: number;

  @IsInt()
  @Min(0)
  @Max(3)
  integrated_security!: number;
}

/** What profile and needs share: who the person is for matching purposes. */
abstract class PersonDto {
  @IsString()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LANGUAGES_MAX)
  @ArrayUnique((l: string) => (typeof l === 'string' ? l.toLowerCase() : l))
  @IsLanguageCode({ each: true })
  languages!: string[];

  @IsString()
  @MaxLength(64)
  timezone!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  working_hours!: WorkingHoursDto;

  @IsArray()
  @ArrayMaxSize(COUNTRIES_MAX)
  @ArrayUnique((c: string) => (typeof c === 'string' ? c.toUpperCase() : c))
  @IsISO31661Alpha2({ each: true, message: 'excluded_countries must hold ISO 3166-1 alpha-2 codes' })
  excluded_countries!: string[];
}

export class MentorProfileDto extends PersonDto implements MentorProfile {
  @IsObject()
  @ValidateNested()
  @Type(() => DomainDepthsDto)
  domains!: DomainDepthsDto;

  @IsArray()
  @ArrayMaxSize(SKILLS_MAX)
  @ArrayUnique()
  @Matches(SKILL, { each: true, message: 'skills must be snake_case words, e.g. digital_security' })
  skills!: string[];

  @IsArray()
  @ArrayMaxSize(COUNTRIES_MAX)
  @ArrayUnique((c: string) => (typeof c === 'string' ? c.toUpperCase() : c))
  @IsISO31661Alpha2({ each: true, message: 'regions must hold ISO 3166-1 alpha-2 codes' })
  regions!: string[];

  @IsInt()
  @Min(0)
  @Max(MENTOR_CAPACITY_MAX)
  capacity!: number;

  @IsBoolean()
  network!: boolean;
}

export class ParticipantNeedsDto extends PersonDto implements ParticipantNeeds {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MENTORING_DOMAINS.length)
  @ArrayUnique()
  @IsIn(MENTORING_DOMAINS, { each: true })
  domains!: MentoringDomain[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SKILLS_MAX)
  @ArrayUnique()
  @Matches(SKILL, { each: true, message: 'skills must be snake_case words, e.g. digital_security' })
  skills?: string[];
}

export class MatchingRunDto implements MatchingRunRequest {
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'week_of must be a date, YYYY-MM-DD' })
  week_of?: string;
}

export class MatchingPairDto implements MatchingPair {
  @IsString()
  @MaxLength(255)
  participant!: string;

  @IsString()
  @MaxLength(255)
  mentor!: string;
}

export class ApproveMatchingDto implements ApproveMatchingRequest {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MATCHING_PAIRS_MAX)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MatchingPairDto)
  pairs?: MatchingPairDto[];
}

export class RematchDto implements RematchRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason!: string;
}

export class EndMentorshipDto implements EndMentorshipRequest {
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

/** `?status&from&limit` */
export class MentorshipsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['active', 'ended'])
  status?: 'active' | 'ended';
}
