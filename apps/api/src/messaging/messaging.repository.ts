import { Injectable } from '@nestjs/common';
import { CohortRole, RoomKind } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface SenderRow {
  room_id: string;
  user_id: string;
  kind: RoomKind;
  role: CohortRole | null;
  muted_until: Date | null;
  /** The cohort lets participants publish in its library. */
  library_participants_publish: boolean;
}

/** A message as the batcher writes it (content checked and serialised). */
interface NewMessage {
  userUuid: string;
  userId: string;
  deviceId: string;
  roomId: string;
  txnId: string;
  type: string;
  content: string;
}

/**
 * Room messages, their transaction ids and redactions. Writes take the caller's
 * transaction: a message commits with its txn id and its stream position, or not at all.
 */
@Injectable()
export class MessagingRepository {
  constructor(private readonly db: DataSource) {}

  // Sending: the batcher's group commit

  /** Of the batch's (device, txn) pairs, those seen before, with the event each one sent. */
  async knownTxns(
    em: EntityManager,
    batch: { userUuid: string; deviceId: string; txnId: string }[],
  ): Promise<{ user_id: string; device_id: string; txn_id: string; event_id: string }[]> {
    return em.query<{ user_id: string; device_id: string; txn_id: string; event_id: string }[]>(
      `SELECT user_id, device_id, txn_id, event_id FROM event_txns
        WHERE (user_id, device_id, txn_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]))`,
      [batch.map((s) => s.userUuid), batch.map((s) => s.deviceId), batch.map((s) => s.txnId)],
    );
  }

  /** Each sender's place in the room (its kind, their role and mute, the library rule); none for a non-member. */
  async senders(em: EntityManager, batch: { roomId: string; userUuid: string }[]): Promise<SenderRow[]> {
    return em.query<SenderRow[]>(
      `SELECT rm.room_id, rm.user_id, r.kind, m.role, m.muted_until, c.library_participants_publish
         FROM room_members rm
         JOIN rooms r ON r.id = rm.room_id
         JOIN cohorts c ON c.id = r.cohort_id
         LEFT JOIN cohort_members m ON m.cohort_id = r.cohort_id AND m.user_id = rm.user_id
        WHERE (rm.room_id, rm.user_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
      [batch.map((s) => s.roomId), batch.map((s) => s.userUuid)],
    );
  }

  /** The sending devices that still exist, with the Curve25519 key each one published. */
  async sendingDevices(
    em: EntityManager,
    batch: { userUuid: string; deviceId: string }[],
  ): Promise<{ user_id: string; device_id: string; curve: string | null }[]> {
    return em.query<{ user_id: string; device_id: string; curve: string | null }[]>(
      `SELECT d.user_id, d.device_id, dk.keys -> 'keys' ->> ('curve25519:' || d.device_id) AS curve
         FROM devices d LEFT JOIN device_keys dk ON dk.user_id = d.user_id AND dk.device_id = d.device_id
        WHERE (d.user_id, d.device_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [batch.map((s) => s.userUuid), batch.map((s) => s.deviceId)],
    );
  }

  async insertMessages(
    em: EntityManager,
    positions: number[],
    eventIds: string[],
    rows: NewMessage[],
    now: number,
  ): Promise<void> {
    await em.query(
      `INSERT INTO events (stream_pos, event_id, room_id, sender, type, state_key, content, origin_server_ts)
         SELECT p, e, r, s, t, NULL, c::json, $7 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(p, e, r, s, t, c)`,
      [
        positions,
        eventIds,
        rows.map((s) => s.roomId),
        rows.map((s) => s.userId),
        rows.map((s) => s.type),
        rows.map((s) => s.content),
        now,
      ],
    );
  }

  async insertTxns(em: EntityManager, rows: NewMessage[], eventIds: string[]): Promise<void> {
    await em.query(
      `INSERT INTO event_txns (user_id, device_id, txn_id, event_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [rows.map((s) => s.userUuid), rows.map((s) => s.deviceId), rows.map((s) => s.txnId), eventIds],
    );
  }

  /** Everyone in the rooms: they are woken after the commit. */
  async roomMembers(em: EntityManager, roomIds: string[]): Promise<{ user_id: string }[]> {
    return em.query<{ user_id: string }[]>(
      `SELECT DISTINCT user_id FROM room_members WHERE room_id = ANY($1::text[])`,
      [roomIds],
    );
  }

  // Redactions

  async findMessage(
    roomId: string,
    eventId: string,
  ): Promise<{ sender: string; type: string; redacted: boolean } | null> {
    const [target] = await this.db.query<{ sender: string; type: string; redacted: boolean }[]>(
      `SELECT sender, type, redacted FROM events WHERE room_id = $1 AND event_id = $2`,
      [roomId, eventId],
    );
    return target ?? null;
  }

  /** The event a device's earlier request with this txn id sent, if any. */
  async priorTxn(em: EntityManager, userUuid: string, deviceId: string, txnId: string): Promise<string | null> {
    const [prior] = await em.query<{ event_id: string }[]>(
      `SELECT event_id FROM event_txns WHERE user_id = $1 AND device_id = $2 AND txn_id = $3`,
      [userUuid, deviceId, txnId],
    );
    return prior ? prior.event_id : null;
  }

  /** The ciphertext is gone for good: nothing of the message's content stays on the server. */
  async redact(em: EntityManager, roomId: string, eventId: string): Promise<void> {
    await em.query(`UPDATE events SET content = '{}', redacted = true WHERE room_id = $1 AND event_id = $2`, [
      roomId,
      eventId,
    ]);
  }

  async insertTxn(
    em: EntityManager,
    userUuid: string,
    deviceId: string,
    txnId: string,
    eventId: string,
  ): Promise<void> {
    await em.query(`INSERT INTO event_txns (user_id, device_id, txn_id, event_id) VALUES ($1, $2, $3, $4)`, [
      userUuid,
      deviceId,
      txnId,
      eventId,
    ]);
  }

  /** Forgets sends older than `before`: a retry after that would store a new event. */
  async pruneTxns(before: Date, size: number): Promise<number> {
    const [rows] = await this.db.query<[unknown[], number]>(
      `DELETE FROM event_txns WHERE (user_id, device_id, txn_id) IN (
         SELECT user_id, device_id, txn_id FROM event_txns WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING txn_id`,
      [before, size],
    );
    return rows.length;
  }
}
