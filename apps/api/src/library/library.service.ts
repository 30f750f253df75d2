import { Injectable } from '@nestjs/common';
import { LibrarySettings } from '@hearth/protocol';
import { AuditRepository } from '../audit/audit.repository';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { AuthContext } from '../common/auth/auth-context';
import { Transactions } from '../stream/transactions';
import { LibraryRepository } from './library.repository';
import { LibrarySettingsDto } from './library.dto';

/**
 * The cohort library's setting. Resources themselves (title, description, domain, language,
 * tags, the file's key) travel end-to-end encrypted in the library room; the hub only decides who
 * may post there (library-policy.ts, applied by the send batcher and to uploads), and lets every
 * current member read the room's whole history.
 */
@Injectable()
export class LibraryService {
  constructor(
    private readonly repo: LibraryRepository,
    private readonly access: CohortAccessService,
    private readonly cohorts: CohortsService,
    private readonly audit: AuditRepository,
    private readonly tx: Transactions,
  ) {}

  /** Members: whether participants may publish (a client shows "Publish" accordingly). */
  async settings(auth: AuthContext, cohortId: string): Promise<LibrarySettings> {
    const { cohort } = await this.access.member(auth, cohortId);
    return { participants_publish: cohort.library_participants_publish };
  }

  /** Coordinators: let participants publish, or stop them (what they published stays). Audited. */
  async updateSettings(auth: AuthContext, cohortId: string, dto: LibrarySettingsDto): Promise<LibrarySettings> {
    await this.access.coordinator(auth, cohortId);
    const value = dto.participants_publish;
    await this.tx.run(async (em) => {
      const cohort = (await this.cohorts.lockCohort(em, cohortId))!;
      if (cohort.library_participants_publish === value) return;
      await this.repo.setParticipantsPublish(em, cohortId, value);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'library_settings_changed',
        target: cohortId,
        targetUser: null,
        detail: `participants_publish: ${String(cohort.library_participants_publish)} → ${String(value)}`,
        reason: dto.reason ?? null,
      });
    });
    return { participants_publish: value };
  }
}
