import { Injectable } from '@nestjs/common';
import { AuditQuery, AuditResponse, ErrorCode } from '@hearth/protocol';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortAccessService } from './cohort-access.service';
import { Page } from '../common/http/page';

@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
  ) {}

  /**
   * A page of the log, filtered (AuditQuery). A member who is not a coordinator reads only the
   * entries about them, whatever the filters say.
   */
  async list(auth: AuthContext, cohortId: string, page: Page, q: AuditQuery = {}): Promise<AuditResponse> {
    const { role } = await this.access.member(auth, cohortId);
    let position: number | null = null;
    if (page.from !== undefined) {
      if (!/^\d{1,15}$/.test(page.from)) throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
      position = Number(page.from);
    }
    const since = q.since === undefined ? null : instant('since', q.since);
    const until = q.until === undefined ? null : instant('until', q.until);
    if (since && until && until <= since) {
      throw new HearthException(ErrorCode.InvalidParam, 'until must be after since');
    }
    const rows = await this.audit.list(
      cohortId,
      {
        aboutUser: role === 'coordinator' ? null : auth.userId,
        action: q.action ?? null,
        member: q.member ?? null,
        since,
        until,
        newestFirst: q.dir === 'b',
        position,
        reader: auth.userId,
      },
      page.limit + 1,
    );
    const entries = rows.slice(0, page.limit).map(({ id: _id, ...entry }) => entry);
    return { entries, ...(rows.length > page.limit ? { next: String(rows[page.limit - 1].id) } : {}) };
  }
}

/** A valid ISO 8601 time within the years a log can hold (the validator let through its shape). */
function instant(name: string, value: string): Date {
  const d = new Date(value);
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 2000 || year > 9999) {
    throw new HearthException(ErrorCode.InvalidParam, `${name} is not a valid time`);
  }
  return d;
}
