import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FOLLOWUP_ANSWER_DAYS, FOLLOWUP_DAYS_DEFAULT } from '@hearth/protocol';
import { planFollowups, PresentAt, SERIES_SCOPE, seriesOfStored } from '@hearth/scheduling';
import { randomUUID } from 'node:crypto';
import { nowOf, utcDay } from '../common/time/clock';
import { inBatches, PeriodicSweep } from '../common/time/periodic';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../stream/transactions';
import { FollowupsRepository, WantedCheckin } from './followups.repository';

const BATCH = 200;

/**
 * Plans and sends follow-up check-ins. Every pass (on every node) first makes the unsent
 * check-ins match attendance and settings as they are now — attendance recorded late gives
 * check-ins whose day has already passed, and they go at once — then claims the due ones with
 * `FOR UPDATE SKIP LOCKED` and marks them sent in the transaction that stores their notification,
 * so each is sent once across nodes and restarts. "Now" is the hub's clock (tests move it).
 */
@Injectable()
export class FollowupsWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Followups');
  private readonly sweep = new PeriodicSweep(this.logger, () => this.run());

  constructor(
    private readonly repo: FollowupsRepository,
    private readonly notifications: NotificationsService,
    private readonly tx: Transactions,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    // As often as reminders: a check-in is days away, but tests and late attendance want it soon.
    this.sweep.start(Math.max(this.config.reminderPollMs, 1000));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }

  /** One pass to the end (tests call it rather than wait for the timer). */
  now(): Promise<unknown> {
    return this.sweep.now();
  }

  private async run(): Promise<void> {
    try {
      await this.plan();
    } catch (err) {
      // Planning failing must not stop what is already planned from going out.
      this.logger.warn(`follow-up planning failed: ${err instanceof Error ? err.message : 'unknown'}`);
    }
    await inBatches(BATCH, (n) => this.fireDue(n));
  }

  private async plan(): Promise<void> {
    // A check-in that could no longer be answered is not planned at all: attendance recorded months
    // late (or trainings held before this hub had follow-ups) must not bring a burst of them.
    const stale = nowOf(this.config) - FOLLOWUP_ANSWER_DAYS * 24 * 3_600_000;
    await this.tx.run(async (em) => {
      const present = await this.repo.presentParticipants(em);
      const byEvent = new Map<string, PresentAt[]>();
      for (const p of present) {
        const list = byEvent.get(p.event_id) ?? [];
        list.push({ occurrence: p.occurrence, user: p.user_id });
        byEvent.set(p.event_id, list);
      }
      const settings = await this.repo.allSettings(em);
      const trainings = await this.repo.trainings(em, [...byEvent.keys()]);
      const wanted: WantedCheckin[] = [];
      const untouched: string[] = [];
      for (const e of trainings) {
        const own = settings.filter((s) => s.event_id === e.id);
        const whole = own.find((s) => s.occurrence === SERIES_SCOPE);
        let planned: ReturnType<typeof planFollowups>;
        try {
          planned = planFollowups({
            series: seriesOfStored(e),
            days: whole ? whole.days : FOLLOWUP_DAYS_DEFAULT,
            occurrenceDays: new Map(
              own.filter((s) => s.occurrence !== SERIES_SCOPE).map((s) => [s.occurrence, s.days]),
            ),
            present: byEvent.get(e.id)!,
          });
        } catch {
          untouched.push(e.id); // one bad series must not hold back (or erase) the others
          continue;
        }
        for (const p of planned) {
          if (p.due < stale) continue;
          wanted.push({
            id: randomUUID(),
            cohortId: e.cohort_id,
            eventId: e.id,
            scope: p.scope,
            userUuid: p.user,
            day: p.day,
            anchor: p.anchor,
            due: new Date(p.due),
          });
        }
      }
      await this.repo.reconcile(em, wanted, untouched);
    });
  }

  /** Claims a batch of due check-ins and sends their notifications, in one transaction. */
  private async fireDue(limit: number): Promise<number> {
    return this.tx.run(async (em) => {
      const now = nowOf(this.config);
      const due = await this.repo.claimDue(em, new Date(now), limit);
      // Someone no longer a participant of the cohort is not asked (and the check-in goes).
      const gone = due.filter((c) => !c.participant).map((c) => c.id);
      const sent = due.filter((c) => c.participant);
      await this.repo.deleteCheckins(em, gone);
      await this.repo.markSent(
        em,
        sent.map((c) => c.id),
        utcDay(now),
      );
      await this.notifications.notify(
        em,
        sent.map((c) => ({
          userUuid: c.user_id,
          type: 'followup_checkin' as const,
          data: { cohort_id: c.cohort_id, event_id: c.event_id, checkin_id: c.id },
        })),
      );
      return due.length;
    });
  }
}
