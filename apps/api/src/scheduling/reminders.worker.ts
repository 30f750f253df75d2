import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { expand, toUtcIso } from '@hearth/scheduling';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { NewReminder } from '../notifications/notification-rows';
import { NotificationsService } from '../notifications/notifications.service';
import { RemindersService } from '../notifications/reminders.service';
import { Transactions } from '../stream/transactions';
import { SchedulingRepository, seriesOf } from './scheduling.repository';

/** Training reminders are scheduled this far ahead (the longest reminder offset is a week). */
const TRAINING_LOOKAHEAD = 8 * 24 * 3600_000;
const BATCH = 200;

/**
 * Fires reminders. Every node runs this loop; `FOR UPDATE SKIP LOCKED` hands each due reminder to
 * exactly one of them, and marking it fired commits with its notification, so a reminder fires
 * once — across restarts (the jobs are rows) and with any number of nodes. Training occurrences
 * get their reminder rows shortly before they are due (a series may be endless). "Now" is the
 * hub's clock (tests move it forward rather than wait); the pacing of passes is real time.
 */
@Injectable()
export class RemindersWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private trainingsScheduledAt = 0;

  constructor(
    private readonly repo: SchedulingRepository,
    private readonly reminders: RemindersService,
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
    await this.running;
  }

  /** One pass: schedule the trainings' reminders, then fire what is due. Exposed for tests. */
  async tick(): Promise<void> {
    try {
      // Setting up trainings' reminders rewrites a row per member and occurrence: once a minute
      // is plenty (they are set days ahead); firing due reminders happens every pass.
      const every = Math.min(60_000, this.config.reminderPollMs * 4);
      if (Date.now() - this.trainingsScheduledAt >= every) {
        await this.scheduleTrainings();
        this.trainingsScheduledAt = Date.now();
      }
    } catch (err) {
      // Trainings' reminders failing to be set up must not stop the ones already due.
      this.logger.warn(`training reminders not scheduled: ${err instanceof Error ? err.message : 'unknown'}`);
    }
    for (;;) {
      const fired = await this.fireDue();
      if (fired < BATCH) break;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => {
          // A database restart, say: the next pass tries again; nothing is lost, the jobs are rows.
          this.logger.warn(`reminder pass failed: ${err instanceof Error ? err.message : 'unknown'}`);
        })
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.config.reminderPollMs);
    this.timer.unref();
  }

  private async scheduleTrainings(): Promise<void> {
    const now = nowOf(this.config);
    await this.tx.run(async (em) => {
      const events = await this.repo.allEvents(em);
      if (events.length === 0) return;
      const members = await this.repo.membersWithEvents(em);
      const settings = await this.reminders.settingsOf(em, [...new Set(members.map((m) => m.user_id))]);
      const rows: NewReminder[] = [];
      for (const e of events) {
        const people = members.filter((m) => m.cohort_id === e.cohort_id).map((m) => m.user_id);
        let occurrences: ReturnType<typeof expand>;
        try {
          occurrences = expand(seriesOf(e), now, now + TRAINING_LOOKAHEAD);
        } catch {
          continue; // one bad series must not hold back the others
        }
        for (const o of occurrences) {
          if (o.cancelled || o.start <= now) continue;
          for (const userUuid of people) {
            for (const minutesBefore of settings.get(userUuid)!) {
              const fireAt = o.start - minutesBefore * 60_000;
              if (fireAt > now + TRAINING_LOOKAHEAD || fireAt <= now) continue;
              rows.push({
                userUuid,
                ref: `event:${e.id}:${o.occurrence}`,
                sessionId: null,
                eventId: e.id,
                occurrence: o.occurrence,
                minutesBefore,
                startsAt: new Date(o.start),
              });
            }
          }
        }
      }
      await this.reminders.addReminders(em, rows);
    });
  }

  /** Claims a batch of due reminders and turns them into notifications, in one transaction. */
  private async fireDue(): Promise<number> {
    return this.tx.run(async (em) => {
      const now = nowOf(this.config);
      const due = await this.reminders.claimDue(em, BATCH, new Date(now));
      // Too late to remind of what has already begun (the hub was down): marked fired, not sent.
      const strangers = await this.reminders.strangers(em, due);
      const timely = due.filter((r) => r.starts_at.getTime() > now && !strangers.has(r.id));
      await this.notifications.notify(
        em,
        timely.map((r) => ({
          userUuid: r.user_id,
          type: 'reminder' as const,
          data: {
            kind: r.session_id ? 'session' : 'training',
            session_id: r.session_id,
            event_id: r.event_id,
            occurrence: r.occurrence,
            start: toUtcIso(r.starts_at.getTime()),
            minutes_before: r.minutes_before,
          },
        })),
      );
      return due.length;
    });
  }
}
