import { Inject, Injectable } from '@nestjs/common';
import { reportRecords, Snapshot, successMarkersReport } from '@hearth/progress';
import {
  CohortReport,
  ErrorCode,
  ParticipationFigures,
  REPORT_COHORTS_MAX,
  ReportBasis,
  ReportFigures,
  ReviewInfo,
  ReviewPhase,
  ReviewsResponse,
  SuccessMarkersReport,
} from '@hearth/protocol';
import { stringify } from 'csv-stringify';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortRow } from '../cohorts/cohort-rows';
import { CohortsService } from '../cohorts/cohorts.service';
import { ParticipationService } from '../scheduling/participation.service';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { Transactions } from '../stream/transactions';
import { ProgressRepository, ReviewRow, ReviewSnapshot } from './progress.repository';

function toSnapshot(s: ReviewSnapshot): Snapshot {
  return {
    participants: s.participants,
    markers: s.markers.map((m) => ({
      participant: m.participant,
      domain: m.domain,
      achieved: m.status === 'achieved',
    })),
  };
}

/** Mid-point and final reviews (frozen statuses) and the success-marker reports drawn from them. */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly repo: ProgressRepository,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    private readonly participation: ParticipationService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Freezes every participant and every marker status of the cohort, once per phase. */
  async open(auth: AuthContext, cohortId: string, phase: ReviewPhase): Promise<ReviewInfo> {
    const cohort = await this.access.coordinator(auth, cohortId);
    const id = randomUUID();
    // Participation is frozen with the statuses (computed first: it reads outside the transaction).
    const participation = await this.participation.figures(cohort, nowOf(this.config));
    await this.tx.run(async (em) => {
      // Under the cohort's lock no one joins or leaves while the snapshot is taken.
      await this.cohorts.lockCohort(em, cohortId);
      const snapshot = { ...(await this.repo.currentSnapshot(cohortId, em)), participation };
      if (!(await this.repo.insertReview(em, { id, cohortId, phase, openedBy: auth.userId, snapshot }))) {
        throw new HearthException(ErrorCode.Conflict, `The ${phase} review of this cohort has been opened already`);
      }
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'review_opened',
        target: id,
        targetUser: null,
        detail: `${phase}: ${snapshot.participants.length} participant(s), ${snapshot.markers.length} marker(s)`,
        reason: null,
      });
    });
    const review = (await this.repo.reviews([cohortId])).find((r) => r.id === id)!;
    return this.info(review);
  }

  async list(auth: AuthContext, cohortId: string): Promise<ReviewsResponse> {
    await this.access.coordinator(auth, cohortId);
    return { reviews: (await this.repo.reviews([cohortId])).map((r) => this.info(r)) };
  }

  /**
   * Coordinators of every cohort asked for, or an admin. Each cohort's figures come from its
   * review of that phase (409 when it has none yet) or, for `current`, from the statuses now.
   */
  async report(auth: AuthContext, cohortIds: string[], basis: ReportBasis): Promise<SuccessMarkersReport> {
    const ids = [...new Set(cohortIds)];
    if (ids.length === 0 || ids.length > REPORT_COHORTS_MAX || !ids.every(isUuid)) {
      throw new HearthException(
        ErrorCode.InvalidParam,
        `cohorts must list 1 to ${REPORT_COHORTS_MAX} cohort ids, separated by commas`,
      );
    }
    const cohorts: CohortRow[] = [];
    for (const id of ids) cohorts.push(await this.reader(auth, id));
    const reviews = basis === 'current' ? [] : await this.repo.reviews(ids);
    const withSnapshots: (CohortRow & { cohort_id: string; snapshot: Snapshot })[] = [];
    // Participation: as it is now, or as the review froze it.
    const frozen = new Map<string, ParticipationFigures | undefined>();
    for (const c of cohorts) {
      let snapshot: ReviewSnapshot;
      if (basis === 'current') snapshot = await this.repo.currentSnapshot(c.id);
      else {
        const review = reviews.find((r) => r.cohort_id === c.id && r.phase === basis);
        if (!review) {
          throw new HearthException(ErrorCode.Conflict, `Cohort ${c.id} has no ${basis} review yet`);
        }
        snapshot = review.snapshot;
        frozen.set(c.id, review.snapshot.participation);
      }
      withSnapshots.push({ ...c, cohort_id: c.id, snapshot: toSnapshot(snapshot) });
    }
    const { cohorts: rows, pooled } = successMarkersReport(withSnapshots);
    const now = nowOf(this.config);
    const withParticipation: CohortReport[] = [];
    for (const [i, row] of rows.entries()) {
      const participation = frozen.has(row.cohort_id)
        ? frozen.get(row.cohort_id)
        : await this.participation.figures(cohorts[i], now);
      withParticipation.push(participation ? { ...row, participation } : row);
    }
    return { review: basis, cohorts: withParticipation, pooled };
  }

  /**
   * The cohort's success-marker figures, from the current statuses and from each review, for the
   * archive a purge keeps: counts only, no cohort or participant id.
   */
  async archiveFigures(em: EntityManager, cohort: CohortRow): Promise<Record<string, ReportFigures>> {
    const bases: [string, ReviewSnapshot][] = [['current', await this.repo.currentSnapshot(cohort.id, em)]];
    for (const r of await this.repo.reviews([cohort.id], em)) bases.push([r.phase, r.snapshot]);
    const out: Record<string, ReportFigures> = {};
    for (const [basis, snapshot] of bases) {
      const { cohorts } = successMarkersReport([
        { cohort_id: cohort.id, name: cohort.name, snapshot: toSnapshot(snapshot) },
      ]);
      const { cohort_id: _id, name: _name, ...figures } = cohorts[0];
      out[basis] = figures;
    }
    return out;
  }

  /** The same figures as CSV: one row per cohort, then the pooled row. */
  csv(report: SuccessMarkersReport): Promise<string> {
    return new Promise((resolve, reject) => {
      // escape_formulas: a cohort named "=HYPERLINK(…)" must not run in a coordinator's spreadsheet.
      stringify(reportRecords(report), { escape_formulas: true }, (err, out) => (err ? reject(err) : resolve(out)));
    });
  }

  /** Outsiders learn nothing (404); members who are not coordinators are refused (403). */
  private async reader(auth: AuthContext, cohortId: string): Promise<CohortRow> {
    if (!isUuid(cohortId)) throw notFound();
    if (auth.isAdmin) {
      const cohort = await this.cohorts.findCohort(cohortId);
      if (!cohort) throw notFound();
      return cohort;
    }
    return this.access.coordinator(auth, cohortId);
  }

  private info(r: ReviewRow): ReviewInfo {
    return {
      review_id: r.id,
      cohort_id: r.cohort_id,
      phase: r.phase,
      opened_at: new Date(r.opened_at).toISOString(),
      opened_by: r.opened_by,
      participants: r.snapshot.participants.length,
      markers: r.snapshot.markers.length,
    };
  }
}
