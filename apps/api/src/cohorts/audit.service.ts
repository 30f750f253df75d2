import { Injectable } from '@nestjs/common';
import { AuditResponse, ErrorCode } from '@hearth/protocol';
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

  async list(auth: AuthContext, cohortId: string, page: Page): Promise<AuditResponse> {
    const { role } = await this.access.member(auth, cohortId);
    let after = 0;
    if (page.from !== undefined) {
      if (!/^\d{1,15}$/.test(page.from)) throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
      after = Number(page.from);
    }
    const rows = await this.audit.list(cohortId, role === 'coordinator' ? null : auth.userId, after, page.limit + 1);
    const entries = rows.slice(0, page.limit).map(({ id: _id, ...entry }) => entry);
    return { entries, ...(rows.length > page.limit ? { next: String(rows[page.limit - 1].id) } : {}) };
  }
}
