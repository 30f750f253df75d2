import { Injectable } from '@nestjs/common';
import { CohortRole } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { keptEvent } from '../room-events/room-event-rows';

export interface MediaRow {
  id: string;
  room_id: string;
  cohort_id: string;
  uploader: string | null;
  size: number;
  received: number;
  created_at: Date;
  event_id: string | null;
}

interface RawMediaRow extends Omit<MediaRow, 'size' | 'received'> {
  size: string;
  received: string;
}

const COLUMNS = 'id, room_id, cohort_id, uploader, size, received, created_at, event_id';

function toRow(r: RawMediaRow): MediaRow {
  return { ...r, size: Number(r.size), received: Number(r.received) };
}

/** The media tables: uploads, their chunks of ciphertext, and the message each one belongs to. */
@Injectable()
export class MediaRepository {
  constructor(private readonly db: DataSource) {}

  async find(id: string, em: EntityManager = this.db.manager): Promise<MediaRow | null> {
    const rows = await em.query<RawMediaRow[]>(`SELECT ${COLUMNS} FROM media WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async insert(
    em: EntityManager,
    m: { id: string; roomId: string; cohortId: string; uploader: string; size: number; createdAt: Date },
  ): Promise<void> {
    await em.query(
      `INSERT INTO media (id, room_id, cohort_id, uploader, size, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [m.id, m.roomId, m.cohortId, m.uploader, m.size, m.createdAt],
    );
  }

  /** Bytes held for an account and for a cohort, finished or not (an upload reserves its size). */
  async usage(em: EntityManager, uploader: string, cohortId: string): Promise<{ account: number; cohort: number }> {
    const [row] = await em.query<{ account: string | null; cohort: string | null }[]>(
      `SELECT (SELECT sum(size) FROM media WHERE uploader = $1) AS account,
              (SELECT sum(size) FROM media WHERE cohort_id = $2) AS cohort`,
      [uploader, cohortId],
    );
    return { account: Number(row.account ?? 0), cohort: Number(row.cohort ?? 0) };
  }

  /** Serialises quota checks per account (two uploads started at once cannot both take the rest). */
  async lockUploader(em: EntityManager, uploader: string): Promise<void> {
    await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [uploader]);
  }

  /**
   * Appends one chunk where the upload stands at `offset`; false when it no longer stands there
   * (another request, perhaps on another node, wrote first, or the upload is gone).
   */
  async appendChunk(id: string, offset: number, data: Buffer): Promise<boolean> {
    return this.db.transaction(async (em) => {
      // TypeORM answers an UPDATE or DELETE … RETURNING through query() with [rows, affected].
      const [moved] = await em.query<[unknown[], number]>(
        `UPDATE media SET received = received + $3 WHERE id = $1 AND received = $2 AND received + $3 <= size
          RETURNING id`,
        [id, offset, data.length],
      );
      if (moved.length === 0) return false;
      await em.query(`INSERT INTO media_chunks (media_id, start_at, data) VALUES ($1, $2, $3)`, [id, offset, data]);
      return true;
    });
  }

  /** The chunk that holds byte `at` (chunks are contiguous, of varying length). */
  async chunkAt(id: string, at: number): Promise<{ start: number; data: Buffer } | null> {
    const rows = await this.db.query<{ start_at: string; data: Buffer }[]>(
      `SELECT start_at, data FROM media_chunks WHERE media_id = $1 AND start_at <= $2
        ORDER BY start_at DESC LIMIT 1`,
      [id, at],
    );
    return rows[0] ? { start: Number(rows[0].start_at), data: rows[0].data } : null;
  }

  /** Deletes an upload no message refers to yet; false when there is none such. */
  async removeUnreferenced(id: string): Promise<boolean> {
    const [rows] = await this.db.query<[unknown[], number]>(
      `DELETE FROM media WHERE id = $1 AND event_id IS NULL RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /** The finished, unclaimed uploads of this sender in this room, locked until the send commits. */
  async claimable(em: EntityManager, ids: string[], uploader: string, roomId: string, after: Date): Promise<string[]> {
    const rows = await em.query<{ id: string }[]>(
      `SELECT id FROM media WHERE id = ANY($1) AND uploader = $2 AND room_id = $3 AND event_id IS NULL
          AND received = size AND created_at >= $4
        FOR UPDATE`,
      [ids, uploader, roomId, after],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Binds uploads to their message. The exact time of the upload was needed only to expire it
   * unsent; from now on the day is kept (the message has its own time anyway).
   */
  async attach(em: EntityManager, ids: string[], eventId: string): Promise<void> {
    await em.query(
      `UPDATE media SET event_id = $2, created_at = date_trunc('day', created_at, 'UTC') WHERE id = ANY($1)`,
      [ids, eventId],
    );
  }

  /** A member's role and mute in a cohort, and the cohort's library rule (who may post where). */
  async posterOf(
    cohortId: string,
    userUuid: string,
  ): Promise<{ role: CohortRole; muted_until: Date | null; library_participants_publish: boolean } | null> {
    const rows = await this.db.query<
      { role: CohortRole; muted_until: Date | null; library_participants_publish: boolean }[]
    >(
      `SELECT m.role, m.muted_until, c.library_participants_publish
         FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id
        WHERE m.cohort_id = $1 AND m.user_id = $2`,
      [cohortId, userUuid],
    );
    return rows[0] ?? null;
  }

  /** Messages were deleted (redacted, or past their room's retention): their files go with them. */
  async deleteForEvents(em: EntityManager, eventIds: string[]): Promise<number> {
    const [rows] = await em.query<[unknown[], number]>(
      `DELETE FROM media WHERE event_id = ANY($1::text[]) RETURNING id`,
      [eventIds],
    );
    return rows.length;
  }

  /**
   * One sweep of what must go: uploads never finished, or finished but never sent, since before
   * `before`, and files of deleted messages. SKIP LOCKED lets every node sweep at once: each row is
   * deleted by one of them, and an upload being claimed by a send is left alone.
   */
  async sweep(before: Date, limit: number): Promise<number> {
    return this.db.transaction(async (em) => {
      const [rows] = await em.query<[unknown[], number]>(
        `DELETE FROM media WHERE id IN (
           SELECT m.id FROM media m LEFT JOIN events e ON e.event_id = m.event_id
            WHERE (m.event_id IS NULL AND m.created_at < $1) OR e.redacted
            LIMIT $2 FOR UPDATE OF m SKIP LOCKED)
         RETURNING id`,
        [before, limit],
      );
      return rows.length;
    });
  }

  /** Where an event sits in its room's stream, to check that a reader was in the room then. */
  async eventPosition(eventId: string): Promise<{ room_id: string; stream_pos: number; redacted: boolean } | null> {
    // A message past its room's retention is as good as deleted, before the sweep comes by.
    const rows = await this.db.query<{ room_id: string; stream_pos: string; redacted: boolean }[]>(
      `SELECT room_id, stream_pos, redacted FROM events WHERE event_id = $1 AND ${keptEvent('events')}`,
      [eventId],
    );
    return rows[0] ? { ...rows[0], stream_pos: Number(rows[0].stream_pos) } : null;
  }

  async uploadsOf(
    em: EntityManager,
    uploader: string,
  ): Promise<{ id: string; room_id: string; size: string; created_at: Date; event_id: string | null }[]> {
    return em.query(
      `SELECT id, room_id, size, created_at, event_id FROM media WHERE uploader = $1 ORDER BY created_at`,
      [uploader],
    );
  }
}
