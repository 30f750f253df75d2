import { obtainSurveyTicket } from '@hearth/client';
import { CreateSurveyRequest } from '@hearth/protocol';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { outcome, startTestHub, TestHub } from './support/hub';

jest.setTimeout(120_000);

const HOUR = 3_600_000;

/** The survey stays anonymous against its own coordinator. */
describe('survey rosters and keys', () => {
  let t: TestHub;
  let cast: CohortCast;
  let C: string;
  let now = Date.parse('2027-06-01T09:00:00Z');

  const request = (opensIn: number): CreateSurveyRequest => ({
    title: 'Pulse',
    items: [{ id: 'safe', text: 'I feel safe here', group: 'wellbeing', scale: 'agreement' }],
    opens_at: new Date(now + opensIn).toISOString(),
    closes_at: new Date(now + opensIn + 4 * HOUR).toISOString(),
  });

  beforeAll(async () => {
    t = await startTestHub({ clock: () => now });
    cast = await castCohort(t, 'ros');
    C = cast.cohort.cohort_id;
  });
  afterAll(() => t.close());

  it('freezes who may answer when the survey opens, and shows it to every member', async () => {
    const early = await joinAs(t, cast.coordinator, C, 'participant', 'ros-early');
    const survey = await cast.coordinator.createSurvey(C, request(HOUR));
    expect(survey).toMatchObject({ status: 'scheduled', roster: null });
    const beforeOpening = await joinAs(t, cast.coordinator, C, 'participant', 'ros-before');
    now += 2 * HOUR; // open now; nobody has looked yet
    // Accounts the coordinator adds after the opening are not on it: the membership change
    // freezes the roster as it stood first.
    const puppet = await joinAs(t, cast.coordinator, C, 'participant', 'ros-puppet');
    await cast.coordinator.removeMember(C, early.session!.userId, 'left the programme');
    const expected = ['@ros-before:hearth.test', '@ros-early:hearth.test', '@ros-part:hearth.test'];
    for (const viewer of [cast.participant, beforeOpening, cast.mentor, cast.coordinator]) {
      expect((await viewer.survey(survey.survey_id)).roster).toEqual(expected);
    }
    const seenByPuppet = await puppet.survey(survey.survey_id);
    expect(seenByPuppet).toMatchObject({ eligible: false, roster: expected });
    expect(await outcome(obtainSurveyTicket(puppet, seenByPuppet))).toBe('403 HEARTH_FORBIDDEN');
    expect(await outcome(obtainSurveyTicket(beforeOpening, survey))).toBe('ok');
    // Someone re-roled later cannot slip in either.
    await cast.coordinator.updateMember(C, cast.mentor.session!.userId, { role: 'participant' });
    expect(await outcome(obtainSurveyTicket(cast.mentor, survey))).toBe('403 HEARTH_FORBIDDEN');
  });

  it('freezes at the first look when no membership changed since the opening', async () => {
    const survey = await cast.coordinator.createSurvey(C, request(HOUR));
    now += 2 * HOUR;
    const roster = (await cast.participant.surveys(C)).surveys.find((s) => s.survey_id === survey.survey_id)!.roster;
    expect(roster).toContain('@ros-part:hearth.test');
    expect(roster).toContain('@ros-mentor:hearth.test'); // a participant now (previous test)
    expect(roster).not.toContain('@ros-early:hearth.test');
  });

  it("leaves no copy of a closed survey's private key in the database's files", async () => {
    const survey = await cast.coordinator.createSurvey(C, request(0));
    const [{ private_key: key }] = await t.db.query<{ private_key: Buffer }[]>(
      `SELECT private_key FROM survey_keys WHERE survey_id = $1`,
      [survey.survey_id],
    );
    const file = async (): Promise<string> =>
      (await t.db.query<{ p: string }[]>(`SELECT pg_relation_filepath('survey_keys') AS p`))[0].p;
    const read = async (path: string): Promise<Buffer | null> => {
      await t.db.query(`CHECKPOINT`); // what is in memory reaches the files
      // (offset, length, missing_ok): the two-argument form exists only from PostgreSQL 16 on.
      return (
        await t.db.query<{ b: Buffer | null }[]>(`SELECT pg_read_binary_file($1::text, 0, 16777216, true) AS b`, [path])
      )[0].b;
    };
    const before = await file();
    // The check can see a key where it is: the table's file holds it while the survey is open.
    expect((await read(before))!.includes(key)).toBe(true);
    await cast.coordinator.closeSurvey(survey.survey_id);
    const after = await file();
    expect(after).not.toBe(before);
    expect(await read(before)).toBeNull();
    expect(((await read(after)) ?? Buffer.alloc(0)).includes(key)).toBe(false);
  });

  it('keeps no answer time finer than the day', async () => {
    const columns = await t.db.query<{ column_name: string; data_type: string }[]>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'survey_responses'`,
    );
    for (const c of columns) expect(c.data_type).not.toMatch(/time/);
    expect(columns.find((c) => c.column_name === 'day')?.data_type).toBe('date');
  });
});
