import { HearthApiError, SurveyTicket } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { Store } from './store';
import type { SealedAppData } from './vault';

/** Answers waiting to go out, kept sealed in the vault until sent. */
export interface PendingAnswers {
  ticket: SurveyTicket;
  answers: Record<string, number>;
  closes_at: string;
  /** When to send (ms since 1970); drawn again at each start if it has passed. */
  send_at: number;
}

interface AppData {
  survey_outbox?: PendingAnswers[];
  /** Per cohort, the month whose well-being pulse prompt was put aside ("not now"). */
  pulse_dismissed?: Record<string, string>;
}

/** Sends answers without anything of the account (submitSurveyAnswers of the SDK, in the app). */
export type SubmitAnswers = (ticket: SurveyTicket, answers: Record<string, number>) => Promise<void>;

const MINUTE = 60_000;
/** At least this long after the click… */
const MIN_DELAY_MS = 2 * MINUTE;
/** …at most this long, and never later than this before the close. */
const MAX_DELAY_MS = 6 * 60 * MINUTE;
const BEFORE_CLOSE_MS = 2 * MINUTE;

/**
 * When to send answers given now: a uniformly random moment from minutes to hours away, always
 * before the close. Someone watching the hub sees an anonymous answer arrive at a moment that
 * says nothing about when, or from which open session, anyone clicked.
 */
export function drawSendTime(now: number, closesAt: number, random = Math.random): number {
  const latest = Math.min(now + MAX_DELAY_MS, closesAt - BEFORE_CLOSE_MS);
  const earliest = Math.min(now + MIN_DELAY_MS, latest);
  if (latest <= now) return now; // the close is near: send now rather than never
  return Math.round(earliest + random() * (latest - earliest));
}

/**
 * Delayed anonymous sending. Sent answers carry nothing of the account (survey.ts): no token, no
 * cookie, and a request without credentials, which browsers send on a connection of its own.
 * A tab closed before the time keeps the answers sealed in the vault; the next unlock resumes
 * them (with a new random time if theirs passed meanwhile, so the answer does not follow the
 * person coming back online).
 *
 * The snapshot is the list of answers waiting (each survey's "queued" notice reads it).
 */
export class SurveyOutbox extends Store<readonly PendingAnswers[]> {
  private pending: PendingAnswers[] = [];
  private data: SealedAppData | null = null;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private dismissed: Record<string, string> = {};

  constructor(private readonly submit: SubmitAnswers) {
    super([]);
  }

  /** Loads what an earlier page left in this device's sealed app data, and schedules it. */
  async start(data: SealedAppData): Promise<void> {
    this.stop();
    this.data = data;
    const saved = await data.read<AppData>();
    this.dismissed = saved?.pulse_dismissed ?? {};
    const now = Date.now();
    this.pending = (saved?.survey_outbox ?? []).map((p) =>
      p.send_at <= now ? { ...p, send_at: drawSendTime(now, Date.parse(p.closes_at)) } : p,
    );
    await this.save();
    for (const p of this.pending) this.schedule(p);
    this.set(this.pending);
  }

  async add(ticket: SurveyTicket, answers: Record<string, number>, closesAt: string): Promise<PendingAnswers> {
    const p: PendingAnswers = {
      ticket,
      answers,
      closes_at: closesAt,
      send_at: drawSendTime(Date.now(), Date.parse(closesAt)),
    };
    this.pending = [...this.pending.filter((x) => x.ticket.survey_id !== ticket.survey_id), p];
    await this.save();
    this.schedule(p);
    this.set(this.pending);
    return p;
  }

  /**
   * Whether the well-being pulse's prompt of this cohort was put aside for this month. Kept here,
   * sealed with the answers waiting (one writer of the device's app data): it comes back next month.
   */
  pulseDismissed(cohortId: string, month: string): boolean {
    return this.dismissed[cohortId] === month;
  }

  async dismissPulse(cohortId: string, month: string): Promise<void> {
    this.dismissed = { ...this.dismissed, [cohortId]: month };
    await this.save();
    this.set([...this.pending]);
  }

  /** Stops the timers (signing out, panic): what is sealed stays sealed, or is wiped with the rest. */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(p: PendingAnswers): void {
    const id = p.ticket.survey_id;
    const old = this.timers.get(id);
    if (old) clearTimeout(old);
    this.timers.set(
      id,
      setTimeout(() => void this.send(p), Math.max(0, p.send_at - Date.now())),
    );
  }

  private async send(p: PendingAnswers): Promise<void> {
    const id = p.ticket.survey_id;
    this.timers.delete(id);
    try {
      await this.submit(p.ticket, p.answers);
    } catch (err) {
      const final =
        err instanceof HearthApiError &&
        (err.errcode === ErrorCode.Conflict || err.status === 400 || err.status === 403);
      if (!final && Date.now() < Date.parse(p.closes_at)) {
        // Unreachable: once more a little later, still before the close.
        const now = Date.now();
        const retry = { ...p, send_at: Math.max(now + 30_000, drawSendTime(now, Date.parse(p.closes_at))) };
        this.pending = this.pending.map((x) => (x.ticket.survey_id === id ? retry : x));
        await this.save();
        this.schedule(retry);
        this.set(this.pending);
        return;
      }
      // Spent (an earlier try arrived), closed, or refused: nothing more can be done with it.
    }
    this.pending = this.pending.filter((x) => x.ticket.survey_id !== id);
    await this.save();
    this.set(this.pending);
  }

  private async save(): Promise<void> {
    if (!this.data) return;
    const data = (await this.data.read<AppData>()) ?? {};
    const dismissed = Object.keys(this.dismissed).length > 0 ? { pulse_dismissed: this.dismissed } : {};
    await this.data.write({ ...data, survey_outbox: this.pending, ...dismissed });
  }
}
