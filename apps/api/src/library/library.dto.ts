import { REASON_MAX_LENGTH, UpdateLibrarySettingsRequest } from '@hearth/protocol';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class LibrarySettingsDto implements UpdateLibrarySettingsRequest {
  @IsBoolean()
  participants_publish!: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}
