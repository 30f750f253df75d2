import { HearthClient, obtainSurveyTicket, SecureSession } from '@hearth/client';
import { AvailabilityShape, MentorshipInfo, PersonalDataExport, PersonalDataParts } from '@hearth/protocol';
import { PersonalDataService } from '../apps/api/src/personal-data/personal-data.service';
import { CohortCast } from './support/cohorts';
import { outcome, PASSWORD, raw, RELAXED_LIMITS, startTestHub, TestHub } from './support/hub';
import { castMentorship, userId } from './support/mentorship';
import { fakeMegolm } from './support/fake-keys';

jest.setTimeout(180_000);

/**
 * Tables that hold people's rows and that the export leaves out on purpose. Each needs a reason a
 * person asking "what do you know about me" would accept; anything else must come from a part.
 */
const NOT_EXPORTED: Record<string, string> = {
  to_device: 'Olm ciphertext in transit to one device (room keys, verification), deleted once that device has it',
  to_device_txns: 'the ids a client chose for its to-device sends, kept for retries; deleted with the device',
  event_txns: 'the ids a client chose for its room sends, mapped to event ids for retries; deleted with the device',
  device_list_changes: "stream positions that tell room mates' clients to fetch keys again; nothing else",
  cohorts:
    'archived_by: the admin who archives a cohort early, set in the request that purges it at once (the row goes with the purge)',
  cohort_archives:
    'archived_by: the admin who purged a cohort early, the lasting record of that decision, read by admins (GET /cohort-archives)',
};

const PARTS: (keyof PersonalDataParts)[] = [
  'account',
  'account_data',
  'audit',
  'cohorts',
  'curriculum',
  'followups',
  'invites',
  'keys',
  'media',
  'mentoring',
  'messaging',
  'notifications',
  'progress',
  'room_events',
  'scheduling',
  'surveys',
];

const AVAILABILITY: AvailabilityShape = {
  timezone: 'Europe/Berlin',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  overrides: [],
  buffer_minutes: 15,
  min_notice_minutes: 60,
  horizon_days: 365,
  max_per_day: 2,
  max_per_week: 5,
};

// Strings the hub stores and must never hand back in an export: ciphertext of every kind.
const ACCOUNT_DATA_CIPHERTEXT = 'ACCOUNT-DATA-CIPHERTEXT-7f3a';
const BACKUP_CIPHERTEXT = 'BACKUP-SESSION-CIPHERTEXT-91c2';
const TO_DEVICE_CIPHERTEXT = 'TO-DEVICE-CIPHERTEXT-44be';
const MENTOR_REMATCH_REASON = 'MENTOR-ONLY: not to be told to the participant';

describe('what the hub knows about me (GET /account/export)', () => {
  let t: TestHub;
  let cast: CohortCast & { mentorship: MentorshipInfo };
  let C: string;
  let now = Date.parse('2026-11-21T12:00:00Z');
  let messageCiphertext: string;

  /** One person's life on the hub, through the API: every feature leaves something about them. */
  beforeAll(async () => {
    t = await startTestHub({ clock: () => now });
    cast = await castMentorship(t, 'me');
    C = cast.cohort.cohort_id;
    const part = cast.participant;
    const M = cast.mentorship.mentorship_id;
    const token = part.session!.accessToken;

    // Messages, a report and its resolution.
    const session = await SecureSession.open(part);
    const eventId = await session.sendText(cast.cohort.rooms.cohort, 'a message only the cohort can read');
    await session.close();
    const [stored] = await t.db.query<{ content: { ciphertext: string } }[]>(
      `SELECT content FROM events WHERE event_id = $1`,
      [eventId],
    );
    messageCiphertext = stored.content.ciphertext;
    await part.report(cast.cohort.rooms.cohort, eventId, fakeMegolm());
    const reports = await raw(t.url, 'GET', `/cohorts/${C}/reports`, { token: cast.coordinator.session!.accessToken });
    const [report] = (reports.body as { reports: { report_id: string }[] }).reports;
    await raw(t.url, 'POST', `/cohorts/${C}/reports/${report.report_id}/resolve`, {
      token: cast.coordinator.session!.accessToken,
      body: JSON.stringify({ outcome: 'dismissed', reason: 'testing the queue' }),
    });

    // Secret storage, a key backup, a to-device message waiting for a device (the session above
    // created the account's cross-signing keys).
    await part.setAccountData('m.secret_storage.default_key', { key: 'K1' });
    await part.setAccountData('m.megolm_backup.v1', {
      encrypted: { K1: { iv: 'i', ciphertext: ACCOUNT_DATA_CIPHERTEXT, mac: 'm' } },
    });
    await raw(t.url, 'POST', '/room_keys/version', {
      token,
      body: JSON.stringify({ algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2', auth_data: { public_key: 'bpub' } }),
    });
    await raw(t.url, 'PUT', '/room_keys/keys?version=1', {
      token,
      body: JSON.stringify({
        rooms: {
          [cast.cohort.rooms.cohort]: {
            sessions: {
              s1: {
                first_message_index: 0,
                forwarded_count: 0,
                is_verified: true,
                session_data: { ephemeral: 'e', ciphertext: BACKUP_CIPHERTEXT, mac: 'm' },
              },
            },
          },
        },
      }),
    });
    const phone = t.client();
    await phone.login({ username: 'me-part', password: PASSWORD, device_display_name: 'Phone' });
    const sent = await raw(t.url, 'PUT', '/sendToDevice/m.room.encrypted/txn-1', {
      token,
      body: JSON.stringify({
        messages: { [userId(part)]: { [phone.session!.deviceId]: { ciphertext: TO_DEVICE_CIPHERTEXT } } },
      }),
    });
    expect(sent.status).toBe(200);

    // Mentoring: both sides ask for a re-match, each for their own reason.
    await part.requestRematch(M, 'we rarely find a common hour');
    await cast.mentor.requestRematch(M, MENTOR_REMATCH_REASON);

    // Scheduling: availability, a booked session, a training with attendance, a feed, settings.
    await cast.mentor.putAvailability(AVAILABILITY);
    await part.putNotificationSettings({ reminder_minutes: [30] });
    await part.bookSession(M, { start: '2027-03-26T08:00:00Z', duration_minutes: 60 });
    const training = await cast.coordinator.createEvent(C, {
      title: 'Threat modelling',
      start_local: '2027-03-16T18:00',
      timezone: 'Europe/Berlin',
      duration_minutes: 90,
    });
    await cast.coordinator.recordEventAttendance(C, training.event_id, '2027-03-16T18:00', userId(part), 'present');
    await part.createCalendarFeed();

    // Progress: an outcome, a marker moved, a mid-point review.
    const o = await cast.coordinator.createOutcome(C, { participant_id: userId(part), domain: 'advocacy' });
    await part.setMarker(o.outcome_id, 'realistic', 'in_progress');
    await cast.coordinator.openReview(C, 'midpoint');

    // Curriculum: an activity done, with the time it took.
    const module = await cast.mentor.createModule(C, 'resilience');
    const activity = await cast.mentor.createActivity(module.module_id, { kind: 'exercise', estimated_minutes: 30 });
    await cast.mentor.updateModule(module.module_id, { status: 'published' });
    await part.setActivityProgress(activity.activity_id, { status: 'done', minutes: 40 });

    // A survey: on its roster, with a token.
    const survey = await cast.coordinator.createSurvey(C, {
      title: 'End of cohort',
      items: [{ id: 'q', text: 'I felt safe', group: 'g', scale: 'agreement' }],
      opens_at: new Date(now + 3_600_000).toISOString(),
      closes_at: new Date(now + 10 * 3_600_000).toISOString(),
    });
    now += 2 * 3_600_000;
    await obtainSurveyTicket(part, await part.survey(survey.survey_id));
  });
  afterAll(() => t.close());

  async function exportOf(c: HearthClient): Promise<PersonalDataExport> {
    return c.exportMyData();
  }

  it("gives a participant every part of what the hub holds about them, from each part's module", async () => {
    const part = cast.participant;
    const me = userId(part);
    const res = await raw(t.url, 'GET', '/account/export', { token: part.session!.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = res.body as PersonalDataExport;
    expect(data.user_id).toBe(me);
    expect(Object.keys(data.parts).sort()).toEqual(PARTS);
    expect(Object.keys(data.tables).sort()).toEqual(PARTS);
    const p = data.parts;

    expect(p.account).toMatchObject({
      user_id: me,
      username: 'me-part',
      is_admin: false,
      // The database's own day (registration does not read the hub's test clock).
      created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      second_factor: { totp: 'off', recovery_codes_left: 0 },
    });
    // Its sessions with their days, and nothing of their tokens.
    expect(p.account.devices).toHaveLength(2);
    expect(p.account.devices.find((d) => d.device_id === part.session!.deviceId)).toEqual({
      device_id: part.session!.deviceId,
      display_name: null,
      created_day: '2026-11-21',
      last_seen_day: '2026-11-21',
      expires_day: '2026-12-21',
    });
    expect(p.account.devices.map((d) => d.display_name)).toContain('Phone');

    expect(p.cohorts.memberships).toEqual([
      { cohort_id: C, cohort_name: cast.cohort.name, role: 'participant', organization: null, muted_until: null },
    ]);
    expect(p.cohorts.rooms.map((r) => r.kind).sort()).toEqual([
      'announcements',
      'cohort',
      'library',
      'mentorship',
      'progress',
    ]);
    expect(p.room_events.memberships.filter((m) => m.membership === 'join')).toHaveLength(5);
    expect(p.room_events.sent).toContainEqual({
      room_id: cast.cohort.rooms.cohort,
      type: 'm.room.encrypted',
      count: 1,
      redacted: 0,
    });
    expect(p.audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['member_joined', 'needs_updated', 'rematch_requested']),
    );
    expect(p.messaging.reports_filed).toEqual([
      expect.objectContaining({ outcome: 'dismissed', resolved_at: expect.any(String) }),
    ]);
    expect(p.messaging.reports_resolved).toEqual([]);

    expect(p.keys.cross_signing).toEqual(['master', 'self_signing', 'user_signing']);
    expect(p.keys.backups).toEqual([
      { version: '1', algorithm: 'm.megolm_backup.v1.curve25519-aes-sha2', deleted: false, keys: 1 },
    ]);
    expect(p.keys.devices.some((d) => d.device_keys && d.one_time_keys > 0)).toBe(true);
    expect(p.account_data.types).toEqual(['m.megolm_backup.v1', 'm.secret_storage.default_key']);

    expect(p.mentoring.mentor_profile).toBeNull();
    expect(p.mentoring.needs).toEqual([expect.objectContaining({ cohort_id: C, country: 'SY', languages: ['ar'] })]);
    expect(p.mentoring.mentorships).toHaveLength(1);
    // Their own re-match request, and not whether the other side asked (as the API shows it to them).
    expect(p.mentoring.mentorships[0].rematch_requests).toEqual([
      { by: me, reason: 'we rarely find a common hour', at: expect.any(String) },
    ]);
    expect(p.mentoring.matching_proposals).toEqual([
      expect.objectContaining({ as: 'participant', with: userId(cast.mentor), score: expect.any(Number) }),
    ]);
    expect(p.mentoring.matching_runs_created).toEqual([]);

    expect(p.scheduling.availability).toBeNull();
    expect(p.scheduling.coaching_sessions).toEqual([
      expect.objectContaining({ start: '2027-03-26T08:00:00.000Z', status: 'booked', booked_by: me }),
    ]);
    expect(p.scheduling.training_attendance).toEqual([
      expect.objectContaining({
        occurrence: '2027-03-16T18:00',
        status: 'present',
        recorded_by: userId(cast.coordinator),
      }),
    ]);
    expect(p.scheduling.calendar_feed).toEqual({ details: false, created_at: expect.any(String) });
    expect(p.notifications.reminder_minutes).toEqual([30]);
    expect(p.notifications.notifications.map((n) => n.type)).toEqual(
      expect.arrayContaining(['mentorship_started', 'session_booked']),
    );
    expect(p.notifications.reminders).toContainEqual(
      expect.objectContaining({ minutes_before: 30, starts_at: '2027-03-26T08:00:00.000Z' }),
    );

    expect(p.progress.participants).toEqual([
      expect.objectContaining({
        participant_id: me,
        kind: 'person',
        outcomes: [
          expect.objectContaining({
            domain: 'advocacy',
            markers: [
              { level: 'realistic', status: 'in_progress', updated_at: expect.any(String) },
              { level: 'ambitious', status: 'not_started', updated_at: expect.any(String) },
              { level: 'very_ambitious', status: 'not_started', updated_at: expect.any(String) },
            ],
          }),
        ],
      }),
    ]);
    expect(p.progress.reviews).toEqual([
      expect.objectContaining({ phase: 'midpoint', markers: expect.arrayContaining([expect.anything()]) }),
    ]);
    expect(p.curriculum.activities).toEqual([
      {
        cohort_id: C,
        activity_id: expect.any(String),
        status: 'done',
        minutes: 40,
        submitted: false,
        started_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        done_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
    expect(p.surveys.eligible).toEqual([
      expect.objectContaining({ title: 'End of cohort', on_roster: true, token_obtained: true }),
    ]);
    expect(p.surveys.created).toEqual([]);
  });

  it('never hands back ciphertext, a hash, a secret or another person’s hidden choice', async () => {
    for (const c of [cast.participant, cast.mentor, cast.coordinator]) {
      const text = JSON.stringify(await exportOf(c));
      for (const secret of [
        ACCOUNT_DATA_CIPHERTEXT,
        BACKUP_CIPHERTEXT,
        TO_DEVICE_CIPHERTEXT,
        messageCiphertext,
        c.session!.accessToken,
      ]) {
        expect(text).not.toContain(secret);
      }
      // No field that would carry a hash or a secret, whatever its value.
      expect(text).not.toMatch(/"(password_hash|token_hash|code_hash|blinded_hash|secret|private_key|content)"/);
    }
    const participantView = JSON.stringify(await exportOf(cast.participant));
    expect(participantView).not.toContain(MENTOR_REMATCH_REASON);
    // The mentor sees their own reason, and their side of the data.
    const mentor = (await exportOf(cast.mentor)).parts;
    expect(mentor.mentoring.mentorships[0].rematch_requests).toEqual([
      { by: userId(cast.mentor), reason: MENTOR_REMATCH_REASON, at: expect.any(String) },
    ]);
    expect(mentor.mentoring.mentor_profile).toMatchObject({ country: 'SY', capacity: 3 });
    expect(mentor.mentoring.matching_proposals).toEqual([
      expect.objectContaining({ as: 'mentor', with: userId(cast.participant) }),
    ]);
    expect(mentor.scheduling.availability).toMatchObject({ timezone: 'Europe/Berlin', buffer_minutes: 15 });
    expect(mentor.scheduling.coaching_sessions).toHaveLength(1);
    expect(mentor.progress).toEqual({ participants: [], reviews: [] });
  });

  it('shows a coordinator what they made and did', async () => {
    const p = (await exportOf(cast.coordinator)).parts;
    expect(p.invites.created.map((i) => i.role).sort()).toEqual(['mentor', 'participant']);
    expect(p.invites.created[0]).not.toHaveProperty('code');
    expect(p.mentoring.matching_runs_created).toEqual([expect.objectContaining({ approved_at: expect.any(String) })]);
    expect(p.scheduling.trainings_created).toEqual([expect.objectContaining({ title: 'Threat modelling' })]);
    expect(p.surveys.created).toEqual([expect.objectContaining({ title: 'End of cohort' })]);
    expect(p.messaging.reports_resolved).toHaveLength(1);
    // The review they opened, without the cohort's markers: those are the participants' to export.
    expect(p.progress.reviews).toEqual([expect.objectContaining({ phase: 'midpoint', markers: [] })]);
    expect(p.audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['matching_run', 'matching_approved', 'event_created', 'review_opened', 'survey_created']),
    );
    // And an admin, who has no cohort: the same parts, mostly empty.
    const admin = (await exportOf(cast.admin)).parts;
    expect(admin.account.is_admin).toBe(true);
    expect(admin.cohorts).toEqual({ memberships: [], rooms: [] });
    expect(admin.invites.created.every((i) => i.purpose === 'account' || i.role === 'coordinator')).toBe(true);
  });

  /**
   * The live schema against the sources: every table with a foreign key (directly or through
   * another table) to `users`, every column named for a person, and every table where one of the
   * people above appears by id must be some part's, or in NOT_EXPORTED with its reason.
   */
  it('covers every table that holds people: a new one fails here until a part or a reason names it', async () => {
    const sources = t.hub.app.get(PersonalDataService).sources;
    expect(sources.map((s) => s.part).sort()).toEqual(PARTS);
    const covered = new Map<string, string>();
    for (const s of sources) {
      for (const table of s.tables) {
        expect({ table, twice: covered.get(table) }).toEqual({ table, twice: undefined });
        covered.set(table, s.part);
      }
    }
    const schema = new Set(
      (
        await t.db.query<{ table_name: string }[]>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
        )
      ).map((r) => r.table_name),
    );
    for (const table of [...covered.keys(), ...Object.keys(NOT_EXPORTED)]) {
      expect({ table, exists: schema.has(table) }).toEqual({ table, exists: true });
    }
    const found = new Map<string, string>();
    const note = (table: string, why: string): void => {
      if (!found.has(table)) found.set(table, why);
    };
    // Foreign keys to users, followed through other tables (room_keys → room_key_versions → users).
    const fks = await t.db.query<{ child: string; parent: string }[]>(
      `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
    );
    const reach = new Set(['users']);
    note('users', 'the accounts themselves');
    for (let grew = true; grew;) {
      grew = false;
      for (const { child, parent } of fks) {
        if (reach.has(parent) && !reach.has(child)) {
          reach.add(child);
          note(child, `a foreign key to ${parent}`);
          grew = true;
        }
      }
    }
    // Columns that name a person by their Matrix id rather than by a key.
    const columns = await t.db.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public'
          AND (column_name IN ('user_id', 'sender', 'actor', 'reporter', 'state_key', 'target_user', 'related_user')
               OR column_name LIKE '%\\_by' OR column_name LIKE '%\\_user' OR column_name LIKE '%\\_user\\_id')`,
    );
    for (const c of columns) note(c.table_name, `column ${c.column_name}`);
    // And wherever one of these people appears at all, by user id or internal id, in any column.
    for (const c of [cast.participant, cast.mentor, cast.coordinator]) {
      const [{ id }] = await t.db.query<{ id: string }[]>(`SELECT id FROM users WHERE username = $1`, [
        userId(c).slice(1).split(':')[0],
      ]);
      for (const table of schema) {
        const [{ hit }] = await t.db.query<{ hit: boolean }[]>(
          `SELECT EXISTS (SELECT 1 FROM "${table}" x WHERE strpos(x::text, $1) > 0 OR strpos(x::text, $2) > 0) AS hit`,
          [userId(c), id],
        );
        if (hit) note(table, `holds ${userId(c)}`);
      }
    }
    const uncovered = [...found].filter(([table]) => !covered.has(table) && !(table in NOT_EXPORTED));
    expect(uncovered).toEqual([]);
    // The exclusions are all still needed (a table that went, or that a part now covers, leaves the list).
    expect(Object.keys(NOT_EXPORTED).filter((table) => !found.has(table) || covered.has(table))).toEqual([]);
    // The export names the same tables as its sources.
    const tables = (await exportOf(cast.participant)).tables;
    for (const s of sources) expect(tables[s.part]).toEqual([...s.tables]);
  });

  it('is limited per account with 429 and Retry-After', async () => {
    const limited = await startTestHub({
      rateLimits: { ...RELAXED_LIMITS, dataExportsPerAccount: { points: 2, durationSeconds: 3600 } },
    });
    try {
      const admin = await limited.admin();
      const c = await limited.user(admin, 'curious');
      const second = limited.client();
      await second.login({ username: 'curious', password: PASSWORD });
      expect(await outcome(c.exportMyData())).toBe('ok');
      expect(await outcome(second.exportMyData())).toBe('ok');
      const res = await raw(limited.url, 'GET', '/account/export', { token: c.session!.accessToken });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await outcome(admin.exportMyData())).toBe('ok');
      // The route takes no body, like every GET.
      expect((await raw(limited.url, 'GET', '/account/export?x=1', { token: admin.session!.accessToken })).status).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });
});
