import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEntry } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface NewAuditEntry {
  cohortId: string;
  /** Matrix user id of whoever acted. */
  actor: string;
  action: AuditAction;
  target: string | null;
  /** Matrix user id of the member the entry is about, so they can read it. */
  targetUser: string | null;
  /** A second member the entry is about (the mentor of a mentorship), who can read it too. */
  relatedUser?: string | null;
  /** What changed, when the action alone does not say (new role, mute end, phase). */
  detail: string | null;
  reason: string | null;
}

/** Which entries a read of the log returns (see AuditRepository.list). */
export interface AuditFilter {
  aboutUser: string | null;
  action: AuditAction | null;
  member: string | null;
  since: Date | null;
  until: Date | null;
  newestFirst: boolean;
  /** The id the page starts after (oldest first) or before (newest first); null: the start. */
  position: number | null;
  /**
   * The reader: a report about a message they sent is not theirs to see, not even that it was
   * filed, and by whom (a coordinator can be reported too).
   */
  reader: string;
}

/** The audit log: append and read. There is no update or delete, here or in the database. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  async append(em: EntityManager, entry: NewAuditEntry): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (cohort_id, actor, action, target, target_user, related_user, detail, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.cohortId,
        entry.actor,
        entry.action,
        entry.target,
        entry.targetUser,
        entry.relatedUser ?? null,
        entry.detail,
        entry.reason,
      ],
    );
  }

  /**
   * Oldest first from after `position`, or newest first from before it; `aboutUser` restricts to
   * entries about that member, `member` to entries they made or that are about them.
   */
  async list(cohortId: string, filter: AuditFilter, limit: number): Promise<(AuditEntry & { id: number })[]> {
    const { newestFirst } = filter;
    const position = filter.position ?? (newestFirst ? Number.MAX_SAFE_INTEGER : 0);
    const rows = await this.db.query<
      {
        id: string;
        actor: string;
        action: AuditAction;
        target: string | null;
        detail: string | null;
        reason: string | null;
        ts: Date;
      }[]
    >(
      `SELECT id, actor, action, target, detail, reason, ts FROM audit_log
        WHERE cohort_id = $1 AND ${newestFirst ? 'id < $2' : 'id > $2'}
          AND ($3::text IS NULL OR target_user = $3::text OR related_user = $3::text)
          AND ($4::text IS NULL OR action = $4::text)
          AND ($5::text IS NULL OR actor = $5::text OR target_user = $5::text OR related_user = $5::text)
          AND ($6::timestamptz IS NULL OR ts >= $6::timestamptz)
          AND ($7::timestamptz IS NULL OR ts < $7::timestamptz)
          AND NOT (action = 'report_filed' AND EXISTS (
            SELECT 1 FROM reports rp JOIN events ev ON ev.event_id = rp.event_id
             WHERE rp.id::text = audit_log.target AND ev.sender = $9::text))
        ORDER BY id ${newestFirst ? 'DESC' : 'ASC'} LIMIT $8`,
      [
        cohortId,
        position,
        filter.aboutUser,
        filter.action,
        filter.member,
        filter.since,
        filter.until,
        limit,
        filter.reader,
      ],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: r.detail,
      reason: r.reason,
      ts: r.ts.toISOString(),
    }));
  }

  /** For the person's export: entries they made, and entries about them, in every cohort. */
  async byOrAbout(em: EntityManager, userId: string): Promise<(AuditEntry & { cohort_id: string })[]> {
    const rows = await em.query<
      {
        cohort_id: string;
        actor: string;
        action: AuditAction;
        target: string | null;
        detail: string | null;
        reason: string | null;
        ts: Date;
      }[]
    >(
      `SELECT cohort_id, actor, action, target, detail, reason, ts FROM audit_log
        WHERE actor = $1 OR target_user = $1 OR related_user = $1
        ORDER BY id`,
      [userId],
    );
    return rows.map((r) => ({ ...r, ts: r.ts.toISOString() }));
  }
}
