import { HearthApiError, SurveyTicket } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { memoryStorage, nextChange } from './fakes.spec-helper';
import { drawSendTime, PendingAnswers, SurveyOutbox } from './survey-outbox';
import { UnlockedDevice, Vault } from './vault';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2030-03-01T12:00:00Z');
const CLOSES = new Date(NOW + 7 * 24 * HOUR).toISOString();
const ticket = (surveyId: string): SurveyTicket => ({
  survey_id: surveyId,
  token: `token-${surveyId}`,
  signature: 'sig',
});

describe('when survey answers go out', () => {
  it('draws a moment between two minutes and six hours away, always two minutes before the close', () => {
    expect(drawSendTime(NOW, Date.parse(CLOSES), () => 0)).toBe(NOW + 2 * MINUTE);
    expect(drawSendTime(NOW, Date.parse(CLOSES), () => 1)).toBe(NOW + 6 * HOUR);
    const soon = NOW + HOUR;
    expect(drawSendTime(NOW, soon, () => 1)).toBe(soon - 2 * MINUTE);
    // Closing in a minute: now rather than never.
    expect(drawSendTime(NOW, NOW + MINUTE, () => 0.5)).toBe(NOW);
  });
});

describe('the survey outbox', () => {
  let storage: ReturnType<typeof memoryStorage>;
  let vault: Vault;
  let device: UnlockedDevice;
  let sent: { ticket: SurveyTicket; answers: Record<string, number> }[];
  let failures: Error[];
  const submit = (t: SurveyTicket, answers: Record<string, number>): Promise<void> => {
    const failure = failures.shift();
    if (failure) return Promise.reject(failure);
    sent.push({ ticket: t, answers });
    return Promise.resolve();
  };

  beforeAll(async () => {
    // Sealed once (argon2id takes a while); each test starts from an empty outbox.
    storage = memoryStorage();
    vault = new Vault(storage);
    device = await vault.sealDevice({ userId: '@amal:hub', deviceId: 'D', accessToken: 'tok' }, 'pw');
  });

  beforeEach(async () => {
    sent = [];
    failures = [];
    await vault.writeData(device, {});
    // Only the clock and setTimeout are faked: WebCrypto's promises settle as they always do.
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('keeps answers sealed in the vault until their time, and a later page takes them up again', async () => {
    const outbox = new SurveyOutbox(submit);
    await outbox.start(vault.appData(device));
    const queued = await outbox.add(ticket('s1'), { q1: 4 }, CLOSES);
    expect(outbox.getSnapshot()).toEqual([queued]);
    expect(queued.send_at).toBeGreaterThanOrEqual(NOW + 2 * MINUTE);
    expect(JSON.stringify([...storage.items.values()])).not.toContain('token-s1');
    expect(sent).toEqual([]);
    outbox.stop(); // the tab closes

    const later = new SurveyOutbox(submit);
    await later.start(vault.appData(device));
    expect(later.getSnapshot()).toEqual([queued]);
    later.stop();
  });

  it('sends at the drawn time, then forgets the answers here', async () => {
    const outbox = new SurveyOutbox(submit);
    await outbox.start(vault.appData(device));
    const queued = await outbox.add(ticket('s1'), { q1: 4 }, CLOSES);
    const emptied = nextChange(outbox);
    await jest.advanceTimersByTimeAsync(queued.send_at - NOW - 1);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await emptied;
    expect(sent).toEqual([{ ticket: ticket('s1'), answers: { q1: 4 } }]);
    expect(outbox.getSnapshot()).toEqual([]);
    expect(await vault.readData(device)).toEqual({ survey_outbox: [] });
  });

  it('draws a new time for answers whose time passed while the tab was closed', async () => {
    const overdue: PendingAnswers = {
      ticket: ticket('s2'),
      answers: { q1: 1 },
      closes_at: CLOSES,
      send_at: NOW - HOUR,
    };
    await vault.writeData(device, { survey_outbox: [overdue] });
    const outbox = new SurveyOutbox(submit);
    await outbox.start(vault.appData(device));
    const [resumed] = outbox.getSnapshot();
    expect(resumed.send_at).toBeGreaterThanOrEqual(NOW + 2 * MINUTE);
    expect(sent).toEqual([]); // not at once: the answer does not follow the person coming online
    outbox.stop();
  });

  it('tries an unreachable hub again later, and drops an answer the hub refused for good', async () => {
    const outbox = new SurveyOutbox(submit);
    await outbox.start(vault.appData(device));
    failures = [
      new TypeError('fetch failed'),
      new HearthApiError(409, { errcode: ErrorCode.Conflict, error: 'spent' }),
    ];
    const queued = await outbox.add(ticket('s3'), { q1: 2 }, CLOSES);

    const rescheduled = nextChange(outbox);
    await jest.advanceTimersByTimeAsync(queued.send_at - NOW);
    await rescheduled;
    const [retry] = outbox.getSnapshot();
    expect(retry.send_at).toBeGreaterThanOrEqual(queued.send_at + 30_000);
    expect(retry.send_at).toBeLessThan(Date.parse(CLOSES));

    const dropped = nextChange(outbox);
    await jest.advanceTimersByTimeAsync(retry.send_at - Date.now());
    await dropped;
    expect(outbox.getSnapshot()).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('keeps the well-being pulse put aside for a month, sealed, beside answers waiting', async () => {
    const outbox = new SurveyOutbox(submit);
    await outbox.start(vault.appData(device));
    await outbox.add(ticket('s1'), { q: 3 }, CLOSES);
    await outbox.dismissPulse('cohort-1', '2030-03');
    expect(outbox.pulseDismissed('cohort-1', '2030-03')).toBe(true);
    // Next month, or another cohort: not put aside.
    expect(outbox.pulseDismissed('cohort-1', '2030-04')).toBe(false);
    expect(outbox.pulseDismissed('cohort-2', '2030-03')).toBe(false);
    outbox.stop();
    // A later page reads both back from the vault; nothing of it is readable in storage.
    const later = new SurveyOutbox(submit);
    await later.start(vault.appData(device));
    expect(later.pulseDismissed('cohort-1', '2030-03')).toBe(true);
    expect(later.getSnapshot().map((p) => p.ticket.survey_id)).toEqual(['s1']);
    expect(JSON.stringify([...storage.items.entries()])).not.toContain('2030-03');
    later.stop();
  });
});
