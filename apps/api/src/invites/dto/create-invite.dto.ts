import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
