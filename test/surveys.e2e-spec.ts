import {
  HearthClient,
  obtainSurveyTicket,
  submitSurveyAnswers,
  surveyKeyFingerprint,
  SurveyTicket,
} from '@hearth/client';
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { CreateSurveyRequest, ErrorCode, SurveyInfo } from '@hearth/protocol';
import { createHash, webcrypto } from 'node:crypto';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { outcome as result, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';

jest.setTimeout(180_000);

const MINUTE = 60_000;

function surveyRequest(over: Partial<CreateSurveyRequest> = {}): CreateSurveyRequest {
  return {
    title: 'End of cohort',
    items: [
      { id: 'secure_comms', text: 'Using secure communications', group: 'security_tasks', scale: 'confidence' },
      { id: 'risk_plan', text: 'Making a risk assessment', group: 'security_tasks', scale: 'confidence' },
      { id: 'campaign', text: 'Planning a campaign', group: 'advocacy_strategies', scale: 'confidence' },
      { id: 'peers', text: 'I feel connected to my peers', group: 'peer_connection', scale: 'agreement' },
    ],
    opens_at: new Date(Date.now() - MINUTE).toISOString(),
    closes_at: new Date(Date.now() + 60 * MINUTE).toISOString(),
    ...over,
  };
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

describe('anonymous surveys with blind-signed tokens', () => {
  let t: TestHub;
  let cast: CohortCast;
  let C: string;
  let parts: HearthClient[];
  let late0: HearthClient;
  let late: HearthClient;
  let survey: SurveyInfo;
  const tickets = new Map<HearthClient, SurveyTicket>();

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'sv');
    C = cast.cohort.cohort_id;
    parts = [cast.participant];
    for (let i = 1; i < 7; i++) parts.push(await joinAs(t, cast.coordinator, C, 'participant', `sv-p${i}`));
    late0 = await joinAs(t, cast.coordinator, C, 'participant', 'sv-again');
    late = await joinAs(t, cast.coordinator, C, 'participant', 'sv-late');
  });
  afterAll(() => t.close());

  it('is defined by coordinators, with its public key, and validated', async () => {
    survey = await cast.coordinator.createSurvey(C, surveyRequest());
    expect(survey).toEqual(
      expect.objectContaining({
        survey_id: expect.any(String),
        public_key_spki: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
        variant: 'RSABSSA-SHA384-PSS-Randomized',
        status: 'open',
      }),
    );
    // Everyone in the cohort sees the same key (the fingerprint members can compare).
    const seen = await Promise.all([cast.participant, cast.mentor, parts[3]].map((c) => c.survey(survey.survey_id)));
    const prints = await Promise.all(seen.map((s) => surveyKeyFingerprint(s)));
    expect(new Set(prints).size).toBe(1);
    expect(seen[0]).toEqual(expect.objectContaining({ eligible: true, token_issued: false }));
    expect(seen[1]).toEqual(expect.objectContaining({ eligible: false }));

    const token = cast.coordinator.session!.accessToken;
    const post = (body: unknown) => raw(t.url, 'POST', `/cohorts/${C}/surveys`, { token, body: JSON.stringify(body) });
    const bad: unknown[] = [
      { ...surveyRequest(), extra: 1 },
      { ...surveyRequest(), items: [] },
      { ...surveyRequest(), items: [{ id: 'x', text: 'x', group: 'g', scale: 'stars' }] },
      { ...surveyRequest(), items: [{ id: 'Not A Slug', text: 'x', group: 'g', scale: 'agreement' }] },
      { ...surveyRequest(), items: [...surveyRequest().items, surveyRequest().items[0]] },
      { ...surveyRequest(), closes_at: surveyRequest().opens_at },
      {
        ...surveyRequest(),
        closes_at: new Date(Date.now() - 1000).toISOString(),
        opens_at: new Date(Date.now() - 5000).toISOString(),
      },
      { ...surveyRequest(), opens_at: '2027-02-30T10:00:00Z' },
      { ...surveyRequest(), items: [{ id: 'x', text: 'x'.repeat(501), group: 'g', scale: 'agreement' }] },
    ];
    for (const body of bad)
      expect((await post(body)).body).toEqual(expect.objectContaining({ errcode: ErrorCode.InvalidParam }));
    expect(await result(cast.mentor.createSurvey(C, surveyRequest()))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.outsider.createSurvey(C, surveyRequest()))).toBe('404 HEARTH_NOT_FOUND');
  });

  it('signs one blinded token per participant, and only for participants', async () => {
    for (const p of parts) tickets.set(p, await obtainSurveyTicket(p, survey));
    expect(await result(obtainSurveyTicket(parts[0], survey))).toBe('409 HEARTH_CONFLICT');
    expect(await result(obtainSurveyTicket(cast.coordinator, survey))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(obtainSurveyTicket(cast.mentor, survey))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(obtainSurveyTicket(cast.outsider, survey))).toBe('404 HEARTH_NOT_FOUND');
    expect((await parts[0].survey(survey.survey_id)).token_issued).toBe(true);
    // The same blinded message again (the first answer lost on the way) is signed again, identically.
    const blinded = b64u(webcrypto.getRandomValues(new Uint8Array(255)));
    const first = await late0.surveyBlindSign(survey.survey_id, `AA${blinded}`.slice(0, 342));
    expect(await late0.surveyBlindSign(survey.survey_id, `AA${blinded}`.slice(0, 342))).toEqual(first);
    expect(await result(late0.surveyBlindSign(survey.survey_id, `AB${blinded}`.slice(0, 342)))).toBe(
      '409 HEARTH_CONFLICT',
    );
    // A blinded message of the wrong size, or not below the modulus, is refused and not counted.
    expect(await result(late.surveyBlindSign(survey.survey_id, b64u(new Uint8Array(10))))).toBe(
      '400 HEARTH_INVALID_PARAM',
    );
    expect(await result(late.surveyBlindSign(survey.survey_id, b64u(new Uint8Array(256).fill(255))))).toBe(
      '400 HEARTH_INVALID_PARAM',
    );
    tickets.set(late, await obtainSurveyTicket(late, survey));
    parts.push(late);
  });

  it('takes answers without authentication, once per token, and refuses forged tokens', async () => {
    const answers = { secure_comms: 5, risk_plan: 4, campaign: 2, peers: 3 };
    const ticket = tickets.get(parts[0])!;
    // Invalid answers: refused, and the token is not spent.
    for (const bad of [
      { ...answers, peers: 6 },
      { ...answers, peers: 2.5 },
      { secure_comms: 5 },
      { ...answers, unknown_item: 3 },
    ]) {
      expect(await result(submitSurveyAnswers(t.url, ticket, bad))).toBe('400 HEARTH_INVALID_PARAM');
    }
    await submitSurveyAnswers(t.url, ticket, answers);
    expect(await result(submitSurveyAnswers(t.url, ticket, answers))).toBe('409 HEARTH_CONFLICT');

    // Forged: a random "signature", a signature for another token, a self-made key's signature.
    const forged = { ...tickets.get(parts[1])!, signature: b64u(webcrypto.getRandomValues(new Uint8Array(256))) };
    expect(await result(submitSurveyAnswers(t.url, forged, answers))).toBe('403 HEARTH_TOKEN_INVALID');
    const swapped = { ...tickets.get(parts[1])!, signature: ticket.signature };
    expect(await result(submitSurveyAnswers(t.url, swapped, answers))).toBe('403 HEARTH_TOKEN_INVALID');
    const suite = RSABSSA.SHA384.PSS.Randomized();
    const keys = await suite.generateKey({ modulusLength: 2048, publicExponent: Uint8Array.from([1, 0, 1]) });
    const prepared = suite.prepare(webcrypto.getRandomValues(new Uint8Array(32)));
    const { blindedMsg, inv } = await suite.blind(keys.publicKey, prepared);
    const own = await suite.finalize(keys.publicKey, prepared, await suite.blindSign(keys.privateKey, blindedMsg), inv);
    const selfMade = { survey_id: survey.survey_id, token: b64u(prepared), signature: b64u(own) };
    expect(await result(submitSurveyAnswers(t.url, selfMade, answers))).toBe('403 HEARTH_TOKEN_INVALID');
    // A token of one survey does not answer another.
    const other = await cast.coordinator.createSurvey(C, surveyRequest({ title: 'Another' }));
    expect(
      await result(submitSurveyAnswers(t.url, { ...tickets.get(parts[1])!, survey_id: other.survey_id }, answers)),
    ).toBe('403 HEARTH_TOKEN_INVALID');
    // Unknown fields, not JSON: 400; an unknown survey: 404.
    const path = `/surveys/${survey.survey_id}/responses`;
    expect((await raw(t.url, 'POST', path, { body: JSON.stringify({ ...ticket, answers, device: 'X' }) })).status).toBe(
      400,
    );
    expect((await raw(t.url, 'POST', path, { body: '{"token":' })).status).toBe(400);
    expect(
      await result(
        submitSurveyAnswers(t.url, { ...ticket, survey_id: '00000000-0000-4000-8000-000000000000' }, answers),
      ),
    ).toBe('404 HEARTH_NOT_FOUND');
  });

  it('hides results before the close and under five answers', async () => {
    expect(await result(cast.coordinator.surveyResults(survey.survey_id))).toBe('409 HEARTH_RESULTS_HIDDEN');
    const answers = [
      { secure_comms: 4, risk_plan: 4, campaign: 5, peers: 1 },
      { secure_comms: 3, risk_plan: 5, campaign: 5, peers: 2 },
      { secure_comms: 5, risk_plan: 2, campaign: 4, peers: 4 },
    ];
    for (let i = 0; i < answers.length; i++) await submitSurveyAnswers(t.url, tickets.get(parts[i + 1])!, answers[i]);
    // A second survey closes with exactly four answers: it never shows them.
    const small = await cast.coordinator.createSurvey(C, surveyRequest({ title: 'Small' }));
    for (const p of parts.slice(0, 4)) {
      await submitSurveyAnswers(t.url, await obtainSurveyTicket(p, small), answers[0]);
    }
    await cast.coordinator.closeSurvey(small.survey_id);
    expect(await result(cast.coordinator.surveyResults(small.survey_id))).toBe('409 HEARTH_RESULTS_HIDDEN');
    await submitSurveyAnswers(t.url, tickets.get(parts[4])!, { secure_comms: 1, risk_plan: 3, campaign: 2, peers: 5 });
    expect(await result(cast.coordinator.surveyResults(survey.survey_id))).toBe('409 HEARTH_RESULTS_HIDDEN');
  });

  it('shows distributions and top-two shares once closed with five answers or more', async () => {
    const closed = await cast.coordinator.closeSurvey(survey.survey_id);
    expect(closed.status).toBe('closed');
    expect(await result(cast.coordinator.closeSurvey(survey.survey_id))).toBe('409 HEARTH_CONFLICT');
    // Closed: no more answers, no more tokens, and its private key is gone.
    expect(
      await result(
        submitSurveyAnswers(t.url, tickets.get(parts[5])!, { secure_comms: 1, risk_plan: 1, campaign: 1, peers: 1 }),
      ),
    ).toBe('409 HEARTH_CONFLICT');
    const keys = await t.db.query<unknown[]>(`SELECT 1 FROM survey_keys WHERE survey_id = $1`, [survey.survey_id]);
    expect(keys).toHaveLength(0);
    // The answers were rewritten at the close in one transaction, in random order: the database's
    // own row versions no longer order them in time.
    const versions = await t.db.query<{ xmin: string }[]>(
      `SELECT xmin::text FROM survey_responses WHERE survey_id = $1`,
      [survey.survey_id],
    );
    expect(versions).toHaveLength(5);
    expect(new Set(versions.map((v) => v.xmin)).size).toBe(1);

    const r = await cast.coordinator.surveyResults(survey.survey_id);
    expect(r).toEqual({
      survey_id: survey.survey_id,
      responses: 5,
      items: [
        // 5, 4, 3, 5, 1 → [1,0,1,1,2], top two 3/5
        { id: 'secure_comms', group: 'security_tasks', distribution: [1, 0, 1, 1, 2], top_two_percent: 60 },
        // 4, 4, 5, 2, 3 → [0,1,1,2,1], 3/5
        { id: 'risk_plan', group: 'security_tasks', distribution: [0, 1, 1, 2, 1], top_two_percent: 60 },
        // 2, 5, 5, 4, 2 → [0,2,0,1,2], 3/5
        { id: 'campaign', group: 'advocacy_strategies', distribution: [0, 2, 0, 1, 2], top_two_percent: 60 },
        // 3, 1, 2, 4, 5 → [1,1,1,1,1], 2/5
        { id: 'peers', group: 'peer_connection', distribution: [1, 1, 1, 1, 1], top_two_percent: 40 },
      ],
      groups: [
        { group: 'security_tasks', average_top_two_percent: 60 },
        { group: 'advocacy_strategies', average_top_two_percent: 60 },
        { group: 'peer_connection', average_top_two_percent: 40 },
      ],
    });
    // Who reads them: coordinators and admins.
    expect(await result(cast.admin.surveyResults(survey.survey_id))).toBe('ok');
    expect(await result(cast.participant.surveyResults(survey.survey_id))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.mentor.surveyResults(survey.survey_id))).toBe('403 HEARTH_FORBIDDEN');
    expect(await result(cast.outsider.surveyResults(survey.survey_id))).toBe('404 HEARTH_NOT_FOUND');
    expect((await raw(t.url, 'GET', `/surveys/${survey.survey_id}/results`)).status).toBe(401);
  });

  it('stores nothing that links an answer to its member, even with full database access', async () => {
    // What the responses table holds: its survey, a day, the token's hash, the answers. No more.
    const columns = await t.db.query<{ column_name: string; data_type: string }[]>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'survey_responses' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type])).toEqual([
      ['id', 'uuid'],
      ['survey_id', 'uuid'],
      ['day', 'date'],
      ['token_hash', 'bytea'],
      ['answers', 'jsonb'],
    ]);
    const issued = await t.db.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_tokens_issued' ORDER BY ordinal_position`,
    );
    expect(issued.map((c) => c.column_name)).toEqual(['survey_id', 'user_id', 'blinded_hash']);

    // Nothing of any participant (account, username, devices) is in a response row, and nothing of
    // the blinded exchange (what the server saw while they were logged in) is anywhere at all.
    const rows = JSON.stringify(await t.db.query(`SELECT * FROM survey_responses`));
    const people = await t.db.query<{ id: string; username: string }[]>(`SELECT id, username FROM users`);
    const devices = await t.db.query<{ device_id: string }[]>(`SELECT device_id FROM devices`);
    for (const p of people) {
      expect(rows).not.toContain(p.id);
      expect(rows).not.toContain(p.username);
    }
    for (const d of devices) expect(rows).not.toContain(d.device_id);
    const days = await t.db.query<{ day: string }[]>(`SELECT day::text AS day FROM survey_responses`);
    for (const { day } of days) expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Replay a blinded exchange and look for its traces in every table.
    const fresh = await cast.coordinator.createSurvey(C, surveyRequest({ title: 'Trace' }));
    const suite = RSABSSA.SHA384.PSS.Randomized();
    const key = await webcrypto.subtle.importKey(
      'spki',
      Buffer.from(fresh.public_key_spki, 'base64url'),
      { name: 'RSA-PSS', hash: 'SHA-384' },
      true,
      ['verify'],
    );
    const prepared = suite.prepare(webcrypto.getRandomValues(new Uint8Array(32)));
    const { blindedMsg, inv } = await suite.blind(key, prepared);
    const { blind_sig } = await parts[0].surveyBlindSign(fresh.survey_id, b64u(blindedMsg));
    const signature = await suite.finalize(key, prepared, Buffer.from(blind_sig, 'base64url'), inv);
    await submitSurveyAnswers(
      t.url,
      { survey_id: fresh.survey_id, token: b64u(prepared), signature: b64u(signature) },
      { secure_comms: 1, risk_plan: 2, campaign: 3, peers: 4 },
    );
    const tables = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const traces = [blindedMsg, Buffer.from(blind_sig, 'base64url'), signature, prepared].flatMap((b) => [
      Buffer.from(b).toString('hex'),
      Buffer.from(b).toString('base64'),
      Buffer.from(b).toString('base64url'),
    ]);
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM "${table_name}"`), (_k, v: unknown) =>
        v && typeof v === 'object' && 'type' in v && v.type === 'Buffer'
          ? Buffer.from((v as unknown as { data: number[] }).data).toString('hex')
          : v,
      );
      for (const trace of traces) expect([table_name, dump.includes(trace)]).toEqual([table_name, false]);
      // The control: bytea columns do show up in the dump (as hex), so the search above can find bytes.
      if (table_name === 'survey_responses')
        expect(dump).toContain(createHash('sha256').update(prepared).digest('hex'));
    }
    // The one link kept, on purpose: the single-use check needs the token's SHA-256, which only the
    // member's device could match (it alone knew the token).
  });

  it('closes a survey that has not opened, and refuses item ids an answers object cannot carry', async () => {
    const later = await cast.coordinator.createSurvey(
      C,
      surveyRequest({
        title: 'Cancelled',
        opens_at: new Date(Date.now() + 60 * MINUTE).toISOString(),
        closes_at: new Date(Date.now() + 120 * MINUTE).toISOString(),
      }),
    );
    expect((await cast.coordinator.closeSurvey(later.survey_id)).status).toBe('closed');
    const reserved = surveyRequest({ items: [{ id: 'constructor', text: 'x', group: 'g', scale: 'agreement' }] });
    expect(await result(cast.coordinator.createSurvey(C, reserved))).toBe('400 HEARTH_INVALID_PARAM');
  });

  it('counts exactly the answers accepted before a close that races them', async () => {
    const race = await cast.coordinator.createSurvey(C, surveyRequest({ title: 'Race' }));
    const ready = await Promise.all(parts.map((p) => obtainSurveyTicket(p, race)));
    const answers = { secure_comms: 5, risk_plan: 5, campaign: 5, peers: 5 };
    const outcomes = await Promise.all([
      ...ready.map((ticket) => result(submitSurveyAnswers(t.url, ticket, answers))),
      result(cast.coordinator.closeSurvey(race.survey_id)),
    ]);
    const accepted = outcomes.slice(0, -1).filter((o) => o === 'ok').length;
    expect(outcomes.at(-1)).toBe('ok');
    expect(outcomes.slice(0, -1).every((o) => o === 'ok' || o === '409 HEARTH_CONFLICT')).toBe(true);
    const stored = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM survey_responses WHERE survey_id = $1`,
      [race.survey_id],
    );
    expect(stored[0].n).toBe(accepted);
  });

  it('takes neither tokens nor answers before it opens, and audits definition and close', async () => {
    const later = await cast.coordinator.createSurvey(
      C,
      surveyRequest({
        title: 'Next week',
        opens_at: new Date(Date.now() + 60 * MINUTE).toISOString(),
        closes_at: new Date(Date.now() + 120 * MINUTE).toISOString(),
      }),
    );
    expect(later.status).toBe('scheduled');
    // Who may answer is decided when it opens: no token before.
    expect(later.roster).toBeNull();
    expect(await result(obtainSurveyTicket(parts[2], later))).toBe('409 HEARTH_CONFLICT');
    const ticket = { ...tickets.get(parts[2])!, survey_id: later.survey_id };
    expect(
      await result(submitSurveyAnswers(t.url, ticket, { secure_comms: 1, risk_plan: 1, campaign: 1, peers: 1 })),
    ).toBe('409 HEARTH_CONFLICT');
    const actions = (await cast.coordinator.auditLog(C)).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'survey_created').length).toBeGreaterThanOrEqual(4);
    expect(actions).toContain('survey_closed');
    const listed = await parts[2].surveys(C);
    expect(listed.surveys.find((s) => s.survey_id === later.survey_id)).toEqual(
      expect.objectContaining({ token_issued: false, eligible: true, roster: null }),
    );
  });
});

describe('anonymous answers are rate limited per client address', () => {
  let t: TestHub;
  afterAll(() => t.close());

  it('answers 429 past the limit', async () => {
    t = await startTestHub({
      rateLimits: { ...RELAXED_LIMITS, surveyResponsesPerClient: { points: 2, durationSeconds: 600 } },
    });
    const cast = await castCohort(t, 'rl');
    const survey = await cast.coordinator.createSurvey(cast.cohort.cohort_id, surveyRequest());
    const ticket = await obtainSurveyTicket(cast.participant, survey);
    const answers = { secure_comms: 1, risk_plan: 1, campaign: 1, peers: 1 };
    expect(await result(submitSurveyAnswers(t.url, ticket, { ...answers, peers: 9 }))).toBe('400 HEARTH_INVALID_PARAM');
    expect(await result(submitSurveyAnswers(t.url, ticket, answers))).toBe('ok');
    expect(await result(submitSurveyAnswers(t.url, ticket, answers))).toBe('429 HEARTH_LIMIT_EXCEEDED');
  });
});
