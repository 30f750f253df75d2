import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import {
  ENCRYPTED_EVENT_TYPE,
  MegolmContent,
  REPORT_EVIDENCE_TYPE,
  ReportEvidence,
  ReportInfo,
  ResolveReportRequest,
} from '@hearth/protocol';
import { shieldOf } from '../crypto/decryption';
import type { HearthClient } from '../http/client';
import type { DecryptedMessage, Shield, ShieldCode, TimelineItem } from '../timeline/types';
import { evidenceOf, parseEvidence } from './evidence';

/** Shield codes that say the sender is not who they claim, or their device is not theirs. */
const WRONG: ReadonlySet<string> = new Set([
  'MismatchedSender',
  'VerificationViolation',
  'UnsignedDevice',
  'UnknownDevice',
]);
const wrong = (code: string | null): boolean => code === null || WRONG.has(code);

/** Nobody can read a report of this message: the cohort's only coordinator sent it. */
export class NoCoordinatorError extends Error {
  constructor() {
    super('no coordinator but the sender of this message can read a report of it');
    this.name = 'NoCoordinatorError';
  }
}

/**
 * The Megolm "room" evidence is encrypted for: derived from the coordinators' room, but a room the
 * hub never serves, so a hub cannot replay a report's ciphertext into a real room's timeline as a
 * message of the reporter's (a session is bound to its room id).
 */
export function evidenceRoomOf(coordinatorsRoomId: string): string {
  const at = coordinatorsRoomId.indexOf(':');
  return `!hearth-report.${coordinatorsRoomId.slice(1, at)}${coordinatorsRoomId.slice(at)}`;
}

/** What reports need of a session (SecureSession is one). */
export interface ReportsHost {
  readonly userId: string;
  readonly machine: Crypto.OlmMachine;
  readonly http: Pick<HearthClient, 'cohort' | 'members' | 'report' | 'reports' | 'resolveReport'>;
  messages(roomId: string): TimelineItem[];
}

/**
 * Encrypts for exactly these users' signed devices with the room's Megolm session, in the room's
 * queue (RoomEncryptor: track, claim, share, encrypt), without sending anything into the room.
 */
export type EncryptFor = (
  roomId: string,
  users: string[],
  type: string,
  payload: Record<string, unknown>,
) => Promise<MegolmContent>;

/**
 * How far the reported message's sender can be trusted, as a coordinator's screen must say it:
 * - `verified_here`: this device decrypted the message itself and verified its sender;
 * - `verified_by_reporter`: the reporter's device had verified the sender (their account: the
 *   hub's record of the sender agrees, the evidence is authentic);
 * - `unverified`: nobody's device vouches for the sender;
 * - `doubtful`: something does not agree (the hub recorded another sender, a red shield, the
 *   evidence names another message, or it could not be authenticated). Never shown as trusted.
 */
export type SenderTrust = 'verified_here' | 'verified_by_reporter' | 'unverified' | 'doubtful';

export interface OpenedReport {
  report: ReportInfo;
  /** The reporter's device's account; null when it could not be read. */
  evidence: ReportEvidence | null;
  /** Why there is no evidence: none was filed (an old report), it could not be decrypted (yet), or it is malformed. */
  problem: null | 'missing' | 'undecryptable' | 'invalid';
  /** The reporter, as this device sees the evidence's author (red: not their device). */
  reporter_shield: Shield;
  reporter_shield_code: ShieldCode | null;
  /** This device's own reading of the reported message, when it has one. */
  own: Pick<DecryptedMessage, 'sender' | 'sender_device' | 'body' | 'shield' | 'shield_code'> | null;
  sender_trust: SenderTrust;
  /** Who sent the message: the hub's record, else the evidence's. */
  sender: string | null;
}

/**
 * Reports of messages. The reporter's device encrypts its account of the message (the evidence:
 * text, sender, sender's device and shield, with the reason) as an event of the cohort's
 * coordinators' room, its Megolm key shared only with the cohort's current coordinators and the
 * reporter's own devices, and files it with the report; nothing is posted in that room. A
 * coordinator's device decrypts it as an event of that room whose sender is the reporter.
 */
export class Reports {
  constructor(
    private readonly host: ReportsHost,
    private readonly encryptFor: EncryptFor,
  ) {}

  /** The cohort's current coordinators (from its member list). */
  async coordinators(cohortId: string): Promise<string[]> {
    const found: string[] = [];
    let from: string | undefined;
    do {
      const page = await this.host.http.members(cohortId, { limit: 500, ...(from ? { from } : {}) });
      found.push(...page.members.filter((m) => m.role === 'coordinator').map((m) => m.user_id));
      from = page.next;
    } while (from);
    return found;
  }

  /**
   * Reports a message this device decrypted, with a reason only the coordinators will read — all
   * but the message's sender, when a coordinator sent it (the hub shows them nothing of it either).
   */
  async file(cohortId: string, message: DecryptedMessage, reason: string): Promise<string> {
    const [cohort, coordinators] = await Promise.all([this.host.http.cohort(cohortId), this.coordinators(cohortId)]);
    const readers = coordinators.filter((u) => u !== message.sender);
    if (readers.length === 0) throw new NoCoordinatorError();
    const users = [...new Set([...readers, this.host.userId])].sort();
    const evidence = evidenceOf(message, reason);
    const room = evidenceRoomOf(cohort.rooms.coordinators);
    const content = await this.encryptFor(room, users, REPORT_EVIDENCE_TYPE, { ...evidence });
    return (await this.host.http.report(message.room_id, message.event_id, content)).report_id;
  }

  /** Coordinators: the open reports of a cohort, each decrypted on this device. */
  async list(cohortId: string): Promise<OpenedReport[]> {
    const [cohort, { reports }] = await Promise.all([
      this.host.http.cohort(cohortId),
      this.host.http.reports(cohortId),
    ]);
    const opened: OpenedReport[] = [];
    for (const r of reports) opened.push(await this.open(cohort.rooms.coordinators, r));
    return opened;
  }

  resolve(cohortId: string, reportId: string, req: ResolveReportRequest): Promise<void> {
    return this.host.http.resolveReport(cohortId, reportId, req);
  }

  /** Decrypts one report's evidence as an event of the coordinators' room sent by the reporter. */
  async open(coordinatorsRoomId: string, report: ReportInfo): Promise<OpenedReport> {
    const own = this.ownReading(report);
    const opened: OpenedReport = {
      report,
      evidence: null,
      problem: 'missing',
      reporter_shield: 'red',
      reporter_shield_code: null,
      own,
      sender_trust: 'doubtful',
      sender: report.event_sender,
    };
    if (!report.evidence) return this.judge(opened);
    const room = evidenceRoomOf(coordinatorsRoomId);
    const event = {
      type: ENCRYPTED_EVENT_TYPE,
      event_id: `$report.${report.report_id}`,
      room_id: room,
      sender: report.reporter,
      origin_server_ts: Date.parse(report.created_at),
      content: report.evidence,
    };
    let decrypted: Crypto.DecryptedRoomEvent;
    try {
      decrypted = await this.host.machine.decryptRoomEvent(
        JSON.stringify(event),
        new Crypto.RoomId(room),
        new Crypto.DecryptionSettings(Crypto.TrustRequirement.Untrusted),
      );
    } catch {
      return this.judge({ ...opened, problem: 'undecryptable' });
    }
    const shield = await shieldOf(this.host.machine, decrypted, report.reporter);
    const inner = JSON.parse(decrypted.event) as { type?: unknown; content?: unknown };
    const evidence = inner.type === REPORT_EVIDENCE_TYPE ? parseEvidence(inner.content) : null;
    // Evidence of another message (a ciphertext copied from another report) is no evidence of this one.
    const matches = evidence !== null && evidence.room_id === report.room_id && evidence.event_id === report.event_id;
    return this.judge({
      ...opened,
      evidence: matches ? evidence : null,
      problem: matches ? null : 'invalid',
      reporter_shield: shield.colour,
      reporter_shield_code: shield.code,
      sender: report.event_sender ?? (matches ? evidence.sender : null),
    });
  }

  private ownReading(report: ReportInfo): OpenedReport['own'] {
    const item = this.host.messages(report.room_id).find((m) => m.event_id === report.event_id);
    if (!item || !('body' in item)) return null;
    const { sender, sender_device, body, shield, shield_code } = item;
    return { sender, sender_device, body, shield, shield_code };
  }

  private judge(o: OpenedReport): OpenedReport {
    const hub = o.report.event_sender;
    const e = o.evidence;
    if (!e && !o.own) return { ...o, sender_trust: o.problem === 'missing' ? 'unverified' : 'doubtful' };
    // Any disagreement (with the hub's record, with this device's own reading) or a forged or
    // unsigned device anywhere is doubt. (A person not verified is not: strict mode paints them red.)
    const doubt =
      (e !== null && (wrong(o.reporter_shield_code) || wrong(e.shield_code) || (hub !== null && e.sender !== hub))) ||
      (e !== null && o.own !== null && e.sender !== o.own.sender) ||
      (o.own !== null && (wrong(o.own.shield_code) || (hub !== null && o.own.sender !== hub)));
    if (doubt) return { ...o, sender_trust: 'doubtful' };
    if (o.own) return { ...o, sender_trust: o.own.shield_code === 'verified' ? 'verified_here' : 'unverified' };
    // Only the evidence: what it says of the sender is checked against nothing but the hub's
    // record, which must exist; and it vouches for the sender only as far as this device trusts
    // the reporter (verified by this person), not merely their device's word.
    if (hub === null) return { ...o, sender_trust: 'doubtful' };
    const vouched = e?.shield_code === 'verified' && o.reporter_shield_code === 'verified';
    return { ...o, sender_trust: vouched ? 'verified_by_reporter' : 'unverified' };
  }
}
