import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cohort library: a standard room of each cohort (every member is in it, and reads its whole
 * history), and the cohort's choice whether participants may publish there besides coordinators
 * and mentors. A resource's title, description, tags and file stay end-to-end encrypted in the
 * room's messages; the hub stores only the room and this one setting. Cohorts created before
 * this migration get their library room when the hub starts (LibraryBackfill), with membership
 * events, which a migration cannot write.
 */
export class Library1764600000000 implements MigrationInterface {
  name = 'Library1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group', 'mentorship', 'progress', 'library'))`);
    // One library per cohort, like its other standard rooms: a second one, from another node
    // starting at the same time, cannot be inserted.
    await q.query(`DROP INDEX rooms_standard_kind_key`);
    await q.query(`
      CREATE UNIQUE INDEX rooms_standard_kind_key ON rooms (cohort_id, kind)
        WHERE kind IN ('cohort', 'announcements', 'coordinators', 'library')`);
    await q.query(`ALTER TABLE cohorts ADD COLUMN library_participants_publish boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cohorts DROP COLUMN library_participants_publish`);
    const library = `SELECT id FROM rooms WHERE kind = 'library'`;
    await q.query(`DELETE FROM media WHERE room_id IN (${library})`);
    await q.query(`DELETE FROM reports WHERE room_id IN (${library})`);
    await q.query(
      `DELETE FROM event_txns WHERE event_id IN (SELECT event_id FROM events WHERE room_id IN (${library}))`,
    );
    await q.query(`DELETE FROM room_members WHERE room_id IN (${library})`);
    await q.query(`DELETE FROM events WHERE room_id IN (${library})`);
    await q.query(`DELETE FROM rooms WHERE kind = 'library'`);
    await q.query(`DROP INDEX rooms_standard_kind_key`);
    await q.query(`
      CREATE UNIQUE INDEX rooms_standard_kind_key ON rooms (cohort_id, kind)
        WHERE kind IN ('cohort', 'announcements', 'coordinators')`);
    await q.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check`);
    await q.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
        CHECK (kind IN ('cohort', 'announcements', 'coordinators', 'group', 'mentorship', 'progress'))`);
  }
}
