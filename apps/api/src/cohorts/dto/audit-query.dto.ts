import { AUDIT_ACTIONS, AuditAction, AuditQuery } from '@hearth/protocol';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/page';

/** `?from&limit&action&member&since&until&dir` of the audit log (see AuditQuery). */
export class AuditQueryDto extends PageQueryDto implements AuditQuery {
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^@[^\s:]+:\S+$/, { message: 'member must be a user id, @name:server' })
  member?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @IsOptional()
  @IsIn(['f', 'b'])
  dir?: 'f' | 'b';
}
