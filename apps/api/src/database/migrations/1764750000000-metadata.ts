import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Less metadata kept (docs/metadata.md, "What the review reduced"): indexes for the sweeps that
 * cut old messages' times to the hour and forget old send txn ids, and redaction reasons taken
 * out of the redaction events already stored (a coordinator's reason stays in the audit log).
 */
export class Metadata1764750000000 implements MigrationInterface {
  name = 'Metadata1764750000000';

  async up(q: QueryRunner): Promise<void> {
    // Only events whose time is still exact are in it: it stays about a day of messages long.
    await q.query(
      `CREATE INDEX events_exact_time_idx ON events (origin_server_ts) WHERE origin_server_ts % 3600000 <> 0`,
    );
    await q.query(`CREATE INDEX event_txns_created_idx ON event_txns (created_at)`);
    await q.query(`CREATE INDEX to_device_txns_created_idx ON to_device_txns (created_at)`);
    await q.query(`UPDATE events SET content = (content::jsonb - 'reason')::json
        WHERE type = 'm.room.redaction' AND content::jsonb ? 'reason'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX to_device_txns_created_idx`);
    await q.query(`DROP INDEX event_txns_created_idx`);
    await q.query(`DROP INDEX events_exact_time_idx`);
  }
}
