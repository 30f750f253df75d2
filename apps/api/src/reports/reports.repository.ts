import { Injectable } from '@nestjs/common';
import { MegolmContent, ReportOutcome } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface OpenReportRow {
  id: string;
  room_id: string;
  event_id: string;
  reporter: string;
  created_at: Date;
  evidence: MegolmContent | null;
  event_sender: string | null;
  event_redacted: boolean | null;
}

export interface FiledReportRow {
  id: string;
  cohort_id: string;
  room_id: string;
  event_id: string;
  created_at: Date;
  resolved_at: Date | null;
  outcome: ReportOutcome | null;
}

/** The reports table: filed with their evidence ciphertext, read by coordinators, resolved once. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: DataSource) {}

  /** The reported event as the hub stored it: who sent it, whether it was deleted; null when there is none. */
  async event(
    roomId: string,
    eventId: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ sender: string; redacted: boolean; type: string } | null> {
    const [row] = await em.query<{ sender: string; redacted: boolean; type: string }[]>(
      `SELECT sender, redacted, type FROM events WHERE room_id = $1 AND event_id = $2`,
      [roomId, eventId],
    );
    return row ?? null;
  }

  /** Whether this reporter already has an open report of this message. */
  async openByReporter(em: EntityManager, reporter: string, roomId: string, eventId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM reports WHERE reporter = $1 AND room_id = $2 AND event_id = $3 AND resolved_at IS NULL`,
      [reporter, roomId, eventId],
    );
    return rows.length > 0;
  }

  async insert(
    em: EntityManager,
    r: { id: string; cohortId: string; roomId: string; eventId: string; reporter: string; evidence: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO reports (id, cohort_id, room_id, event_id, reporter, evidence) VALUES ($1, $2, $3, $4, $5, $6::json)`,
      [r.id, r.cohortId, r.roomId, r.eventId, r.reporter, r.evidence],
    );
  }

  /**
   * Open reports of a cohort, oldest first, at most `limit`, with the hub's record of each reported
   * event's sender; never those about a message `reader` sent (a reported coordinator's).
   */
  async open(cohortId: string, reader: string, limit: number): Promise<OpenReportRow[]> {
    return this.db.query<OpenReportRow[]>(
      `SELECT r.id, r.room_id, r.event_id, r.reporter, r.created_at, r.evidence,
              e.sender AS event_sender, e.redacted AS event_redacted
         FROM reports r LEFT JOIN events e ON e.room_id = r.room_id AND e.event_id = r.event_id
        WHERE r.cohort_id = $1 AND r.resolved_at IS NULL AND e.sender IS DISTINCT FROM $2
        ORDER BY r.created_at, r.id LIMIT $3`,
      [cohortId, reader, limit],
    );
  }

  /** The open report, locked for its resolution; null when there is no such open report in the cohort. */
  async lockOpen(
    em: EntityManager,
    cohortId: string,
    reportId: string,
  ): Promise<{ id: string; room_id: string; event_id: string; reporter: string } | null> {
    const [row] = await em.query<{ id: string; room_id: string; event_id: string; reporter: string }[]>(
      `SELECT id, room_id, event_id, reporter FROM reports
        WHERE cohort_id = $1 AND id::text = $2 AND resolved_at IS NULL FOR UPDATE`,
      [cohortId, reportId],
    );
    return row ?? null;
  }

  /** Resolved: the outcome is kept, the evidence ciphertext is not. */
  async resolve(em: EntityManager, reportId: string, by: string, outcome: ReportOutcome): Promise<void> {
    await em.query(
      `UPDATE reports SET resolved_at = now(), resolved_by = $2, outcome = $3, evidence = NULL WHERE id = $1`,
      [reportId, by, outcome],
    );
  }

  /** The reports a person filed, newest first (GET /account/reports, and their export). */
  async filedBy(userId: string, em: EntityManager = this.db.manager): Promise<FiledReportRow[]> {
    return em.query<FiledReportRow[]>(
      `SELECT id, cohort_id, room_id, event_id, created_at, resolved_at, outcome FROM reports
        WHERE reporter = $1 ORDER BY created_at DESC, id LIMIT 500`,
      [userId],
    );
  }

  async resolvedBy(em: EntityManager, userId: string): Promise<{ id: string; cohort_id: string; resolved_at: Date }[]> {
    return em.query(`SELECT id, cohort_id, resolved_at FROM reports WHERE resolved_by = $1 ORDER BY resolved_at, id`, [
      userId,
    ]);
  }
}
