import { EXPECTED_HOURS_MAX, ParticipationExpectationRequest } from '@hearth/protocol';
import { MONTH } from '@hearth/scheduling';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class ParticipationQueryDto {
  @IsOptional()
  @IsString()
  @Matches(MONTH, { message: 'from must be a month, YYYY-MM' })
  from?: string;

  @IsOptional()
  @IsString()
  @Matches(MONTH, { message: 'to must be a month, YYYY-MM' })
  to?: string;
}

export class ParticipationExpectationDto implements ParticipationExpectationRequest {
  @IsInt()
  @Min(1)
  @Max(EXPECTED_HOURS_MAX)
  expected_hours!: number;
}
