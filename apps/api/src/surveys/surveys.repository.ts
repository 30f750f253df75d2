import { Injectable } from '@nestjs/common';
import { SurveyItem } from '@hearth/protocol';
import { DataSource, EntityManager } from 'typeorm';

export interface SurveyRow {
  id: string;
  seq: string;
  cohort_id: string;
  title: string;
  items: SurveyItem[];
  opens_at: Date;
  closes_at: Date;
  public_key: Buffer;
  created_by: string;
  roster_frozen: boolean;
  /** `YYYY-MM` for a cohort's monthly pulse, null for a survey. */
  pulse_month: string | null;
}

const COLUMNS = `id, seq, cohort_id, title, items, opens_at, closes_at, public_key, created_by, roster_frozen, pulse_month`;

/** Surveys, who obtained a token, and the anonymous answers. */
@Injectable()
export class SurveysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    s: Omit<SurveyRow, 'seq' | 'roster_frozen' | 'pulse_month'> & { private_key: Buffer; pulse_month?: string },
  ): Promise<boolean> {
    // A month's pulse exists once: a second insert for it (two members looking at once) does nothing.
    const rows = await em.query<unknown[]>(
      `INSERT INTO surveys (id, cohort_id, title, items, opens_at, closes_at, public_key, created_by, pulse_month)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (cohort_id, pulse_month) WHERE pulse_month IS NOT NULL DO NOTHING RETURNING id`,
      [
        s.id,
        s.cohort_id,
        s.title,
        JSON.stringify(s.items),
        s.opens_at,
        s.closes_at,
        s.public_key,
        s.created_by,
        s.pulse_month ?? null,
      ],
    );
    if (rows.length === 0) return false;
    // A row of its own, never updated: closing deletes it, and the table is then rewritten.
    await em.query(`INSERT INTO survey_keys (survey_id, private_key) VALUES ($1, $2)`, [s.id, s.private_key]);
    return true;
  }

  async pulseOf(cohortId: string, month: string, em: EntityManager = this.db.manager): Promise<SurveyRow | null> {
    const rows = await em.query<SurveyRow[]>(
      `SELECT ${COLUMNS} FROM surveys WHERE cohort_id = $1 AND pulse_month = $2`,
      [cohortId, month],
    );
    return rows[0] ?? null;
  }

  /** A cohort's pulses, newest month first, before `beforeMonth` when given. */
  async pulsesOf(cohortId: string, beforeMonth: string | null, limit: number): Promise<SurveyRow[]> {
    return this.db.query<SurveyRow[]>(
      `SELECT ${COLUMNS} FROM surveys
        WHERE cohort_id = $1 AND pulse_month IS NOT NULL AND ($2::text IS NULL OR pulse_month < $2::text)
        ORDER BY pulse_month DESC LIMIT $3`,
      [cohortId, beforeMonth, limit],
    );
  }

  /** Number of answers per survey. */
  async responseCounts(surveyIds: string[]): Promise<Map<string, number>> {
    if (surveyIds.length === 0) return new Map();
    const rows = await this.db.query<{ survey_id: string; n: number }[]>(
      `SELECT survey_id, count(*)::int AS n FROM survey_responses WHERE survey_id = ANY($1) GROUP BY survey_id`,
      [surveyIds],
    );
    return new Map(rows.map((r) => [r.survey_id, r.n]));
  }

  async find(
    id: string,
    em: EntityManager = this.db.manager,
    lock: boolean | 'share' = false,
  ): Promise<SurveyRow | null> {
    const clause = lock === 'share' ? 'FOR SHARE' : lock ? 'FOR UPDATE' : '';
    const rows = await em.query<SurveyRow[]>(`SELECT ${COLUMNS} FROM surveys WHERE id = $1 ${clause}`, [id]);
    return rows[0] ?? null;
  }

  async ofCohort(cohortId: string, beforeSeq: string | null, limit: number): Promise<SurveyRow[]> {
    return this.db.query<SurveyRow[]>(
      `SELECT ${COLUMNS} FROM surveys
        WHERE cohort_id = $1 AND pulse_month IS NULL AND ($2::bigint IS NULL OR seq < $2::bigint)
        ORDER BY seq DESC LIMIT $3`,
      [cohortId, beforeSeq, limit],
    );
  }

  async privateKey(em: EntityManager, id: string): Promise<Buffer | null> {
    const rows = await em.query<{ private_key: Buffer }[]>(`SELECT private_key FROM survey_keys WHERE survey_id = $1`, [
      id,
    ]);
    return rows[0]?.private_key ?? null;
  }

  /**
   * Closes now; a survey that had not opened yet opens and closes at once (it took no answers).
   * Its private key is deleted (`forgetDeletedKeys` then rewrites the table).
   */
  async close(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(
      `UPDATE surveys SET opens_at = LEAST(opens_at, $2::timestamptz - interval '1 millisecond'),
                          closes_at = LEAST(closes_at, $2)
        WHERE id = $1`,
      [id, at],
    );
    await em.query(`DELETE FROM survey_keys WHERE survey_id = $1`, [id]);
  }

  /**
   * A deleted row stays in the table's file until vacuumed, and a plain VACUUM only marks its
   * space free: VACUUM FULL writes the live rows to a new file and removes the old one, so the
   * deleted keys are gone from the database's files (the write-ahead log keeps them until it is
   * recycled; docs/security.md). Outside any transaction; the table holds one row per open survey.
   *
   * VACUUM FULL copies a deleted row that a transaction still running may see ("recently dead"),
   * and on PostgreSQL other connections of the pool run syncs meanwhile: so it first waits (at
   * most `waitMs`) until no transaction older than the deletion is running, in any database of
   * the server: a snapshot taken here starts from the oldest transaction running anywhere, so one
   * in another database would make a sync started here just now keep the row too. Returns false
   * when one did not end in time (the table is rewritten anyway; the key may then stay in its
   * file until the next rewrite).
   */
  async forgetDeletedKeys(waitMs = 10_000): Promise<boolean> {
    // The first transaction id not yet assigned: the deletion, committed, has a smaller one.
    const [{ next }] = await this.db.query<{ next: string }[]>(
      `SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric % 4294967296)::text AS next`,
    );
    const deadline = Date.now() + waitMs;
    let clear: boolean;
    for (;;) {
      // An older transaction id has a greater age; sessions of other roles are not visible here
      // (their backend_xmin reads null), which leaves only an operator's own session unchecked.
      // A transaction between two statements has no snapshot but may hold an older id of its own
      // (backend_xid): VACUUM keeps what it could still see too.
      const [{ older }] = await this.db.query<{ older: number }[]>(
        `SELECT count(*)::int AS older FROM pg_stat_activity
          WHERE pid <> pg_backend_pid()
            AND ((backend_xmin IS NOT NULL AND age(backend_xmin) > age($1::xid))
              OR (backend_xid IS NOT NULL AND age(backend_xid) > age($1::xid)))`,
        [next],
      );
      clear = older === 0;
      if (clear || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.db.query(`VACUUM FULL survey_keys`);
    return clear;
  }

  /** Freezes who may answer (the cohort's participants now, but `except`); false when frozen already. */
  async freezeRoster(em: EntityManager, surveyId: string, cohortId: string, except: string | null): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE surveys SET roster_frozen = true WHERE id = $1 AND NOT roster_frozen RETURNING id`,
      [surveyId],
    );
    if (rows.length === 0) return false;
    await em.query(
      `INSERT INTO survey_roster (survey_id, user_id)
       SELECT $1, user_id FROM cohort_members
        WHERE cohort_id = $2 AND role = 'participant' AND ($3::uuid IS NULL OR user_id <> $3::uuid)`,
      [surveyId, cohortId, except],
    );
    return true;
  }

  /** Surveys that have opened but whose roster is not frozen yet (of one cohort, or all), locked. */
  async openedUnfrozen(
    em: EntityManager,
    now: Date,
    cohortId: string | null,
  ): Promise<{ id: string; cohort_id: string }[]> {
    return em.query(
      `SELECT id, cohort_id FROM surveys
        WHERE NOT roster_frozen AND opens_at <= $1 AND ($2::uuid IS NULL OR cohort_id = $2::uuid)
        ORDER BY id FOR UPDATE`,
      [now, cohortId],
    );
  }

  /** Usernames on each survey's roster. */
  async rosters(surveyIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (surveyIds.length === 0) return out;
    const rows = await this.db.query<{ survey_id: string; username: string }[]>(
      `SELECT r.survey_id, u.username FROM survey_roster r JOIN users u ON u.id = r.user_id
        WHERE r.survey_id = ANY($1) ORDER BY u.username`,
      [surveyIds],
    );
    for (const r of rows) out.set(r.survey_id, [...(out.get(r.survey_id) ?? []), r.username]);
    return out;
  }

  async onRoster(em: EntityManager, surveyId: string, userUuid: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM survey_roster WHERE survey_id = $1 AND user_id = $2`, [
      surveyId,
      userUuid,
    ]);
    return rows.length > 0;
  }

  /**
   * Rewrites a closed survey's answers in one transaction, in random order: while a survey is
   * open the database's own row versions order the answers in time (and the rows lie in the order
   * they came); afterwards every answer has the same writing transaction and no order.
   */
  async shuffleResponses(em: EntityManager, surveyId: string): Promise<void> {
    await em.query(
      `WITH gone AS (DELETE FROM survey_responses WHERE survey_id = $1 RETURNING day, token_hash, answers)
       INSERT INTO survey_responses (id, survey_id, day, token_hash, answers)
       SELECT gen_random_uuid(), $1, day, token_hash, answers FROM gone ORDER BY random()`,
      [surveyId],
    );
  }

  /** Surveys past their close that still hold a private key (not finished yet), locked. */
  async lapsedWithKeys(em: EntityManager, now: Date): Promise<string[]> {
    const rows = await em.query<{ id: string }[]>(
      `SELECT s.id FROM surveys s JOIN survey_keys k ON k.survey_id = s.id
        WHERE s.closes_at <= $1 ORDER BY s.id FOR UPDATE OF s SKIP LOCKED`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Records the user's one blind signature, with the hash of the blinded message it was for: the
   * same blinded message may be signed again (an answer lost on the way), another one may not.
   * 'issued' for a first or repeated request, 'other' when a different message was signed before.
   */
  async recordTokenIssued(
    em: EntityManager,
    surveyId: string,
    userUuid: string,
    blindedHash: Buffer,
  ): Promise<'issued' | 'other'> {
    await em.query(
      `INSERT INTO survey_tokens_issued (survey_id, user_id, blinded_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [surveyId, userUuid, blindedHash],
    );
    const rows = await em.query<{ blinded_hash: Buffer }[]>(
      `SELECT blinded_hash FROM survey_tokens_issued WHERE survey_id = $1 AND user_id = $2`,
      [surveyId, userUuid],
    );
    return Buffer.from(rows[0].blinded_hash).equals(blindedHash) ? 'issued' : 'other';
  }

  async issuedTo(surveyIds: string[], userUuid: string): Promise<Set<string>> {
    if (surveyIds.length === 0) return new Set();
    const rows = await this.db.query<{ survey_id: string }[]>(
      `SELECT survey_id FROM survey_tokens_issued WHERE survey_id = ANY($1) AND user_id = $2`,
      [surveyIds, userUuid],
    );
    return new Set(rows.map((r) => r.survey_id));
  }

  /** False when this token has been used already. */
  async insertResponse(
    em: EntityManager,
    r: {
      id: string;
      surveyId: string;
      day: string;
      tokenHash: Buffer;
      answers: Record<string, number>;
    },
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO survey_responses (id, survey_id, day, token_hash, answers) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (survey_id, token_hash) DO NOTHING RETURNING id`,
      [r.id, r.surveyId, r.day, r.tokenHash, JSON.stringify(r.answers)],
    );
    return rows.length === 1;
  }

  async answers(surveyId: string): Promise<Record<string, number>[]> {
    const rows = await this.db.query<{ answers: Record<string, number> }[]>(
      `SELECT answers FROM survey_responses WHERE survey_id = $1`,
      [surveyId],
    );
    return rows.map((r) => r.answers);
  }

  // The person's export: whether they were on a roster or obtained a token, never the token's hash

  async eligibleFor(
    em: EntityManager,
    userUuid: string,
  ): Promise<
    (Pick<SurveyRow, 'id' | 'cohort_id' | 'title' | 'opens_at' | 'closes_at'> & {
      on_roster: boolean;
      token_obtained: boolean;
    })[]
  > {
    return em.query(
      `SELECT s.id, s.cohort_id, s.title, s.opens_at, s.closes_at,
              EXISTS (SELECT 1 FROM survey_roster r WHERE r.survey_id = s.id AND r.user_id = $1) AS on_roster,
              EXISTS (SELECT 1 FROM survey_tokens_issued t WHERE t.survey_id = s.id AND t.user_id = $1) AS token_obtained
         FROM surveys s
        WHERE EXISTS (SELECT 1 FROM survey_roster r WHERE r.survey_id = s.id AND r.user_id = $1)
           OR EXISTS (SELECT 1 FROM survey_tokens_issued t WHERE t.survey_id = s.id AND t.user_id = $1)
        ORDER BY s.seq`,
      [userUuid],
    );
  }

  async createdBy(
    em: EntityManager,
    userId: string,
  ): Promise<Pick<SurveyRow, 'id' | 'cohort_id' | 'title' | 'opens_at' | 'closes_at'>[]> {
    return em.query(
      `SELECT id, cohort_id, title, opens_at, closes_at FROM surveys WHERE created_by = $1 ORDER BY seq`,
      [userId],
    );
  }
}
