import {
  CreateSurveyRequest,
  NAME_MAX_LENGTH,
  SURVEY_ITEM_TEXT_MAX,
  SURVEY_ITEMS_MAX,
  SURVEY_SCALES,
  SurveyItem,
  SurveyResponseRequest,
  SurveyScale,
  SurveyTokenRequest,
} from '@hearth/protocol';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { INSTANT } from '../../common/time/instants';

const SLUG = /^[a-z][a-z0-9_]{0,39}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class SurveyItemDto implements SurveyItem {
  @IsString()
  @Matches(SLUG, { message: 'items[].id must be snake_case, up to 40 characters' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(SURVEY_ITEM_TEXT_MAX)
  text!: string;

  @IsString()
  @Matches(SLUG, { message: 'items[].group must be snake_case, up to 40 characters' })
  group!: string;

  @IsIn(Object.keys(SURVEY_SCALES))
  scale!: SurveyScale;
}

export class CreateSurveyDto implements CreateSurveyRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  title!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SURVEY_ITEMS_MAX)
  @ArrayUnique((i: SurveyItemDto) => i?.id, { message: 'items[].id must be unique' })
  @ValidateNested({ each: true })
  @Type(() => SurveyItemDto)
  items!: SurveyItemDto[];

  @IsString()
  @Matches(INSTANT, { message: 'opens_at must be an ISO 8601 time with an offset or Z' })
  opens_at!: string;

  @IsString()
  @Matches(INSTANT, { message: 'closes_at must be an ISO 8601 time with an offset or Z' })
  closes_at!: string;
}

export class SurveyTokenDto implements SurveyTokenRequest {
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'blinded_msg must be base64url' })
  blinded_msg!: string;
}

export class SurveyResponseDto implements SurveyResponseRequest {
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'token must be base64url' })
  token!: string;

  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'signature must be base64url' })
  signature!: string;

  /** Checked against the survey's items by the service. */
  @IsObject()
  answers!: Record<string, number>;
}
