import { Injectable } from '@nestjs/common';
import { NotificationType } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { DueReminder, NewReminder, NotificationRow } from './notification-rows';

export const DEFAULT_REMINDER_MINUTES = [1440, 15];

/** Notifications, reminder settings and reminder jobs. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    rows: { userUuid: string; type: NotificationType; data: NotificationRow['data'] }[],
  ): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return em.query<NotificationRow[]>(
      `INSERT INTO notifications (user_id, type, data)
       SELECT u, t, d::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(u, t, d)
       RETURNING id::text AS id, user_id, type, data, created_at, read_at`,
      [rows.map((r) => r.userUuid), rows.map((r) => r.type), rows.map((r) => JSON.stringify(r.data))],
    );
  }

  /** Newest first; `before` is the id of the last one of the previous page. */
  async list(userUuid: string, before: string | null, limit: number): Promise<NotificationRow[]> {
    return this.db.query<NotificationRow[]>(
      `SELECT id::text AS id, user_id, type, data, created_at, read_at FROM notifications
        WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
      [userUuid, before, limit],
    );
  }

  /** Whether the user has an unread notification of this type whose data holds `data`. */
  async hasUnread(
    em: EntityManager,
    userUuid: string,
    type: NotificationType,
    data: NotificationRow['data'],
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM notifications WHERE user_id = $1 AND type = $2 AND read_at IS NULL AND data @> $3::jsonb LIMIT 1`,
      [userUuid, type, JSON.stringify(data)],
    );
    return rows.length > 0;
  }

  async markRead(userUuid: string, upTo: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND id <= $2::bigint AND read_at IS NULL`,
      [userUuid, upTo],
    );
  }

  async settings(userUuid: string, em: EntityManager = this.db.manager): Promise<number[]> {
    const rows = await em.query<{ reminder_minutes: number[] }[]>(
      `SELECT reminder_minutes FROM notification_settings WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0]?.reminder_minutes ?? DEFAULT_REMINDER_MINUTES;
  }

  /** Each user's reminder offsets (the default for those who never chose). */
  async settingsOf(em: EntityManager, userUuids: string[]): Promise<Map<string, number[]>> {
    const rows = await em.query<{ user_id: string; reminder_minutes: number[] }[]>(
      `SELECT user_id, reminder_minutes FROM notification_settings WHERE user_id = ANY($1::uuid[])`,
      [userUuids],
    );
    const out = new Map(userUuids.map((u) => [u, DEFAULT_REMINDER_MINUTES]));
    for (const r of rows) out.set(r.user_id, r.reminder_minutes);
    return out;
  }

  async putSettings(userUuid: string, minutes: number[]): Promise<void> {
    await this.db.query(
      `INSERT INTO notification_settings (user_id, reminder_minutes) VALUES ($1, $2::int[])
       ON CONFLICT (user_id) DO UPDATE SET reminder_minutes = EXCLUDED.reminder_minutes`,
      [userUuid, minutes],
    );
  }

  /** Reminder jobs; one per (user, thing, offset, start) however often this is called. */
  async addReminders(em: EntityManager, rows: NewReminder[]): Promise<void> {
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO reminders (user_id, ref, session_id, event_id, occurrence, minutes_before, starts_at, fire_at)
       SELECT u, r, s, e, o, m, t, t - make_interval(mins => m)
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::timestamptz[])
           AS x(u, r, s, e, o, m, t)
       ON CONFLICT (user_id, ref, minutes_before, starts_at) DO NOTHING`,
      [
        rows.map((r) => r.userUuid),
        rows.map((r) => r.ref),
        rows.map((r) => r.sessionId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.occurrence),
        rows.map((r) => r.minutesBefore),
        rows.map((r) => r.startsAt.toISOString()),
      ],
    );
  }

  /**
   * Of claimed training reminders, those whose person is no longer in the event's cohort (removed,
   * perhaps for safety reasons): they must not learn the next training's time.
   */
  async strangers(em: EntityManager, due: DueReminder[]): Promise<Set<string>> {
    const training = due.filter((r) => r.event_id !== null);
    if (training.length === 0) return new Set();
    const rows = await em.query<{ id: string }[]>(
      `SELECT x.id FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS x(id, user_id, event_id)
        WHERE NOT EXISTS (SELECT 1 FROM cohort_events e JOIN cohort_members m ON m.cohort_id = e.cohort_id
                           WHERE e.id = x.event_id AND m.user_id = x.user_id)`,
      [training.map((r) => r.id), training.map((r) => r.user_id), training.map((r) => r.event_id)],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Unfired reminders of a thing go when it is cancelled or moved. */
  async dropReminders(em: EntityManager, refPrefix: string): Promise<void> {
    await em.query(`DELETE FROM reminders WHERE fired_at IS NULL AND ref LIKE $1`, [`${refPrefix}%`]);
  }

  /**
   * Takes due reminders for this transaction and marks them fired. `SKIP LOCKED`: another node
   * taking reminders at the same moment gets the others, never the same ones; the mark and the
   * notifications commit together, so a reminder fires exactly once.
   */
  async claimDue(em: EntityManager, limit: number, now: Date): Promise<DueReminder[]> {
    return em.query<DueReminder[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH claimed AS (
         UPDATE reminders SET fired_at = now()
          WHERE id IN (SELECT id FROM reminders WHERE fired_at IS NULL AND fire_at <= $2
                        ORDER BY fire_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, user_id, ref, session_id, event_id, occurrence, minutes_before, starts_at)
       SELECT id::text AS id, user_id, ref, session_id, event_id, occurrence, minutes_before, starts_at FROM claimed`,
      [limit, now],
    );
  }

  // The person's export

  /** Null when the person never chose (the default applies). */
  async chosenSettings(em: EntityManager, userUuid: string): Promise<number[] | null> {
    const rows = await em.query<{ reminder_minutes: number[] }[]>(
      `SELECT reminder_minutes FROM notification_settings WHERE user_id = $1`,
      [userUuid],
    );
    return rows[0]?.reminder_minutes ?? null;
  }

  async allOf(em: EntityManager, userUuid: string): Promise<NotificationRow[]> {
    return em.query<NotificationRow[]>(
      `SELECT id::text AS id, user_id, type, data, created_at, read_at FROM notifications
        WHERE user_id = $1 ORDER BY id`,
      [userUuid],
    );
  }

  async remindersOf(
    em: EntityManager,
    userUuid: string,
  ): Promise<{ ref: string; minutes_before: number; starts_at: Date; fire_at: Date; fired_at: Date | null }[]> {
    return em.query(
      `SELECT ref, minutes_before, starts_at, fire_at, fired_at FROM reminders WHERE user_id = $1 ORDER BY fire_at, id`,
      [userUuid],
    );
  }
}
