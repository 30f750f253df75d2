import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disappearing messages (issue 20): a room's retention, in milliseconds (null: off). The hub
 * reads it to delete messages past it (docs/metadata.md). The sweep deletes the send txn ids of
 * the messages it deletes, found by event id: hence the index. A device's first sync reads each
 * room's latest retention event: the index on room state events finds it without reading the
 * room's whole history.
 */
export class Retention1764730000000 implements MigrationInterface {
  name = 'Retention1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms ADD COLUMN retention_ms bigint CHECK (retention_ms > 0)`);
    await q.query(`CREATE INDEX rooms_retention_idx ON rooms (id) WHERE retention_ms IS NOT NULL`);
    await q.query(`CREATE INDEX event_txns_event_idx ON event_txns (event_id)`);
    await q.query(`CREATE INDEX events_room_state_idx ON events (room_id, type, stream_pos) WHERE state_key = ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_room_state_idx`);
    await q.query(`DROP INDEX event_txns_event_idx`);
    await q.query(`DROP INDEX rooms_retention_idx`);
    await q.query(`ALTER TABLE rooms DROP COLUMN retention_ms`);
  }
}
