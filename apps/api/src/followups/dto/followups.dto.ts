import { AnswerCheckinRequest, FollowupSettingsRequest } from '@hearth/protocol';
import { IsArray, IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

const LOCAL = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

export class FollowupSettingsDto implements FollowupSettingsRequest {
  // Whole numbers 1–365, at most 5, each once: checked in the service with one clear message.
  @IsArray()
  days!: number[];

  @IsOptional()
  @IsString()
  @Matches(LOCAL, { message: 'occurrence must be YYYY-MM-DDTHH:MM' })
  occurrence?: string;
}

export class OccurrenceQueryDto {
  @IsOptional()
  @IsString()
  @Matches(LOCAL, { message: 'occurrence must be YYYY-MM-DDTHH:MM' })
  occurrence?: string;
}

export class AnswerCheckinDto implements AnswerCheckinRequest {
  @IsBoolean()
  help_requested!: boolean;
}
