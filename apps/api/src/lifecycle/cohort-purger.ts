import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { surveyResults } from '@hearth/progress';
import { ArchiveFigures, SURVEY_MIN_RESPONSES, SurveyItem } from '@hearth/protocol';
import { nowOf, utcDay } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { NotificationsService } from '../notifications/notifications.service';
import { ReviewsService } from '../progress/reviews.service';
import { Transactions } from '../stream/transactions';
import { PurgeRepository } from './purge.repository';

/** Files or messages deleted per transaction before the last one takes the rest. */
const BATCH = 500;
/** Due cohorts looked at per pass. */
const COHORTS_PER_PASS = 20;

/**
 * Purges cohorts whose purge day has come. Every node runs this loop; the state is the cohort's
 * `purge_on` in the database, so a restart resumes where it was. Each step claims the cohort
 * (`FOR UPDATE SKIP LOCKED`): nodes take turns on a cohort, never work on it at once, and every
 * step is idempotent. Files and messages go in batches; the last transaction keeps the anonymous
 * figures in an archive row, deletes everything else of the cohort and the cohort itself, and
 * tells its former members.
 */
@Injectable()
export class CohortPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly repo: PurgeRepository,
    private readonly reviews: ReviewsService,
    private readonly notifications: NotificationsService,
    private readonly tx: Transactions,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due cohorts; answers how many this node purged. Exposed for tests. */
  async sweep(): Promise<number> {
    let purged = 0;
    for (const id of await this.repo.due(this.today(), COHORTS_PER_PASS)) {
      if (await this.purge(id, false)) purged++;
    }
    return purged;
  }

  /**
   * Purges one due cohort; false when it is not (or no longer) there or another node holds it.
   * `wait`: wait for another holder instead of skipping (an admin's archive waits for its result).
   */
  async purge(cohortId: string, wait: boolean): Promise<boolean> {
    const today = this.today();
    for (;;) {
      const n = await this.tx.run(async (em) => {
        if (!(await this.repo.claim(em, cohortId, today, wait))) return -1;
        return this.repo.deleteBulk(em, cohortId, BATCH);
      });
      if (n < 0) return false;
      if (n < BATCH) break;
    }
    const done = await this.tx.run(async (em) => {
      const cohort = await this.repo.claim(em, cohortId, today, wait);
      if (!cohort) return null;
      const figures: ArchiveFigures = {
        members: await this.repo.memberCounts(em, cohortId),
        success_markers: await this.reviews.archiveFigures(em, cohort),
        surveys: (await this.repo.closedSurveys(em, cohortId, new Date(nowOf(this.config))))
          .filter((s) => s.answers.length >= SURVEY_MIN_RESPONSES)
          .map((s) => {
            const { survey_id: _id, ...results } = surveyResults('', s.items as SurveyItem[], s.answers);
            return { title: s.title, responses: s.answers.length, results };
          }),
      };
      const members = await this.repo.memberUuids(em, cohortId);
      await this.repo.insertArchive(em, cohort, today, cohort.archived_by, figures);
      await this.repo.deleteAll(em, cohortId);
      await this.notifications.notify(
        em,
        members.map((userUuid) => ({
          userUuid,
          type: 'cohort_purged' as const,
          // No name: the row outlives the cohort, and would tie each member to the programme.
          data: { purged_on: today },
        })),
      );
      return cohort;
    });
    if (!done) return false;
    // Nothing that names the cohort or a person.
    this.logger.log(`a cohort was purged (${done.archived_by ? 'archived early by an admin' : 'on its purge day'})`);
    return true;
  }

  private today(): string {
    return utcDay(nowOf(this.config));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((err: unknown) => {
          // A database restart, say: the next pass tries again; the state is in the cohort rows.
          this.logger.warn(`purge pass failed: ${err instanceof Error ? err.message : 'unknown'}`);
        })
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.config.lifecycle.sweepMs);
    this.timer.unref();
  }
}
