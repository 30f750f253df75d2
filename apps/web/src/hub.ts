import {
  EmojiVerification,
  HearthApiError,
  HearthClient,
  initCrypto,
  PreparedMessage,
  SecureSession,
} from '@hearth/client';
import {
  CohortResponse,
  ErrorCode,
  HearthNotification,
  MeResponse,
  MentorshipInfo,
  RoomInfo,
  SetupStateResponse,
} from '@hearth/protocol';
import { PanicState, revokeEverywhere } from './panic';
import { SurveyOutbox } from './survey-outbox';
import {
  eraseLeftovers,
  leaveNow,
  resealDevice,
  sealDevice,
  storedDevice,
  UnlockedDevice,
  unsealDevice,
  wipeLocalData,
} from './vault';

/**
 * `secondFactorSetup`: signed in, but the hub requires a second factor of this account first.
 * `panicked`: this browser is erased; the screen follows the hub's side of the panic.
 */
export type Phase = 'loading' | 'welcome' | 'unlock' | 'opening' | 'secondFactorSetup' | 'ready' | 'panicked';
export type Notice = 'signedOutElsewhere' | 'accountDeleted';

/** A message typed on this device that the hub has not acknowledged yet (or refused). */
export interface PendingMessage {
  id: number;
  roomId: string;
  body: string;
  ts: number;
  state: 'sending' | 'failed' | 'sent';
  /** The errcode of the last failure, for the UI's explanation. */
  error?: string;
  prepared?: PreparedMessage;
  eventId?: string;
}

/** A room of the user; `left` when they were removed while this page was open. */
export interface KnownRoom extends RoomInfo {
  left: boolean;
}

export class WrongPasswordError extends Error {}

/** Survives the restart after a wipe, to tell the user why they are signed out (no secret). */
const NOTICE_KEY = 'hearth.notice';

/**
 * The web client's state and actions, outside React: one per page. React subscribes to
 * `version` (useSyncExternalStore) and re-renders when anything changes.
 */
export class HubController {
  phase: Phase = 'loading';
  setup: SetupStateResponse | null = null;
  record: { store: string } | null = null;
  /** The unlocked device (its token and store keys): memory only, for re-sealing and the outbox. */
  private device: UnlockedDevice | null = null;
  /** Anonymous survey answers waiting for their random time. */
  outbox: SurveyOutbox | null = null;
  /** After a panic: how the hub's side of it stands (the browser is already erased). */
  panicState: PanicState | null = null;
  private panicControl: ReturnType<typeof revokeEverywhere> | null = null;
  http = new HearthClient(location.origin);
  session: SecureSession | null = null;
  me: MeResponse | null = null;
  cohorts: CohortResponse[] = [];
  rooms: KnownRoom[] = [];
  /** Active mentorships, to name their rooms after the other person. */
  mentorships: MentorshipInfo[] = [];
  /**
   * Progress rooms (all named "Progress" by the hub) → whose progress they hold, as the progress
   * screen learnt it: a name, or null for the user's own.
   */
  progressRooms = new Map<string, string | null>();
  /** Notifications pushed since the app opened (newest first), shown until seen. */
  liveNotifications: HearthNotification[] = [];
  /** Grows with every pushed notification: views holding sessions or calendars reload on it. */
  scheduleVersion = 0;
  pending: PendingMessage[] = [];
  verifications: EmojiVerification[] = [];
  /** A message for the welcome screen (why the user landed there). */
  notice: Notice | null = null;
  version = 0;
  private readonly listeners = new Set<() => void>();
  private pendingCounter = 0;
  private refreshing: Promise<void> | null = null;
  private refreshSeq = 0;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  bump(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  async init(): Promise<void> {
    // The crypto wasm (≈1.4 MB compressed, then cached) starts loading while the user types.
    void initCrypto().catch(() => undefined);
    const notice = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    if (notice === 'signedOutElsewhere' || notice === 'accountDeleted') this.notice = notice;
    await eraseLeftovers();
    this.record = storedDevice();
    this.phase = this.record ? 'unlock' : 'welcome';
    this.bump();
    this.setup = await this.http.setupState().catch(() => null);
    this.bump();
  }

  /**
   * `code`: the second factor, when the hub asked for it (HEARTH_SECOND_FACTOR_REQUIRED): six
   * digits from the authenticator app, or else one of the recovery codes.
   */
  async signIn(username: string, password: string, deviceName: string, code?: string): Promise<void> {
    const http = new HearthClient(location.origin);
    const typed = code?.replace(/\s/g, '');
    const second = !typed ? {} : /^\d{6}$/.test(typed) ? { totp_code: typed } : { recovery_code: typed };
    const s = await http.login({ username, password, device_display_name: deviceName || 'Web browser', ...second });
    await this.open(await sealDevice(s, password));
  }

  async register(inviteCode: string, username: string, password: string, deviceName: string): Promise<void> {
    const http = new HearthClient(location.origin);
    const s = await http.register({
      invite_code: inviteCode.trim(),
      username,
      password,
      device_display_name: deviceName || 'Web browser',
    });
    await this.open(await sealDevice(s, password));
  }

  async unlock(password: string): Promise<void> {
    if (!this.record) return;
    const device = await unsealDevice(password);
    if (!device) throw new WrongPasswordError();
    await this.open(device);
  }

  /** The second factor the hub required is set up: on to the app. */
  async secondFactorReady(): Promise<void> {
    if (this.device) await this.open(this.device);
  }

  private async open(device: UnlockedDevice): Promise<void> {
    this.device = device;
    this.phase = 'opening';
    this.bump();
    const http = new HearthClient(location.origin, {
      userId: device.userId,
      deviceId: device.deviceId,
      accessToken: device.accessToken,
    });
    this.http = http;
    // On a slow link every round trip counts: the crypto session and the account's lists load
    // side by side. A revoked token (remote sign-out, panic elsewhere) fails the lists with 401.
    const opening = SecureSession.open(http, { store: { name: device.storeName, key: device.storeKey } });
    void opening.catch(() => undefined); // observed below; never an unhandled rejection
    try {
      await this.refresh();
    } catch (err) {
      void opening.then((s) => s.close()).catch(() => undefined);
      if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) {
        await this.signedOutElsewhere();
        return;
      }
      if (err instanceof HearthApiError && err.errcode === ErrorCode.SecondFactorSetupRequired) {
        // Signed in, but held at the setup: only the account's own routes answer until it is done.
        this.me = await http.me().catch(() => null);
        this.phase = 'secondFactorSetup';
        this.bump();
        return;
      }
      this.http = new HearthClient(location.origin);
      this.record = storedDevice(); // a device just signed in is kept: unlocking retries it
      this.phase = this.record ? 'unlock' : 'welcome';
      this.bump();
      throw err;
    }
    let session: SecureSession;
    try {
      session = await opening;
    } catch (err) {
      // IndexedDB unavailable (a private window), the socket refused…: back to the form, with the error.
      this.http = new HearthClient(location.origin);
      this.record = storedDevice();
      this.phase = this.record ? 'unlock' : 'welcome';
      this.bump();
      throw err;
    }
    this.record = storedDevice();
    this.session = session;
    session.onChange(() => {
      this.settlePending();
      this.noticeRooms();
      this.bump();
    });
    session.onConnection((state) => {
      this.bump();
      if (state === 'signed_out') void this.signedOutElsewhere();
      else if (state === 'offline') this.watchWhileOffline();
    });
    session.onVerificationRequest((v) => this.track(v));
    session.onNotification((n) => {
      this.liveNotifications = [n, ...this.liveNotifications].slice(0, 20);
      // A session booked or moved, a mentorship's room: the lists shown may have changed.
      this.scheduleVersion++;
      this.bump();
    });
    this.outbox = new SurveyOutbox(location.origin, device, () => this.bump());
    void this.outbox.start().catch(() => undefined);
    this.phase = 'ready';
    this.bump();
    // The account's first device creates its cross-signing identity; later ones get verified by
    // it. Not on the way to the first message: it runs once the app is usable.
    void session.ensureCrossSigning().catch(() => undefined);
  }

  /** The calendar view showed the notifications: the menu stops counting them. */
  notificationsSeen(): void {
    if (this.liveNotifications.length === 0) return;
    this.liveNotifications = [];
    this.bump();
  }

  /**
   * Reloads who the user is, their cohorts and rooms. Each call fetches afresh (a call made after
   * creating a room must see it); only the latest answer is applied.
   */
  async refresh(): Promise<void> {
    const seq = ++this.refreshSeq;
    const work = (async () => {
      const [me, cohorts, rooms, mentorships] = await Promise.all([
        this.http.me(),
        this.http.cohorts(),
        this.http.rooms(),
        this.http.mentorships({ status: 'active', limit: 500 }),
      ]);
      if (seq !== this.refreshSeq) return;
      this.me = me;
      this.cohorts = cohorts.cohorts;
      this.mentorships = mentorships.mentorships;
      const current = new Set(rooms.rooms.map((r) => r.room_id));
      const kept = this.rooms.filter((r) => !current.has(r.room_id) && this.session?.hasLeft(r.room_id));
      this.rooms = [...rooms.rooms.map((r) => ({ ...r, left: false })), ...kept.map((r) => ({ ...r, left: true }))];
    })();
    this.refreshing = work;
    try {
      await work;
    } finally {
      if (this.refreshing === work) this.refreshing = null;
      this.bump();
    }
  }

  /** A room appeared or was left in the sync stream: the room list follows. */
  private noticeRooms(): void {
    const session = this.session;
    if (!session) return;
    let stale = false;
    for (const r of this.rooms) if (!r.left && session.hasLeft(r.room_id)) stale = true;
    for (const roomId of session.knownRooms()) if (!this.rooms.some((r) => r.room_id === roomId)) stale = true;
    if (stale && !this.refreshing) void this.refresh().catch(() => undefined);
  }

  private track(v: EmojiVerification): void {
    this.verifications = [...this.verifications.filter((x) => x.flowId !== v.flowId), v];
    v.onChange(() => this.bump());
    this.bump();
  }

  async verifyDevice(deviceId: string): Promise<void> {
    if (!this.session) return;
    this.track(await this.session.verifyOwnDevice(deviceId));
  }

  dismissVerification(v: EmojiVerification): void {
    this.verifications = this.verifications.filter((x) => x !== v);
    this.bump();
  }

  // Messages

  send(roomId: string, body: string): void {
    const p: PendingMessage = { id: ++this.pendingCounter, roomId, body, ts: Date.now(), state: 'sending' };
    this.pending = [...this.pending, p];
    this.bump();
    void this.deliver(p);
  }

  resend(id: number): void {
    const p = this.pending.find((x) => x.id === id);
    if (!p || p.state !== 'failed') return;
    p.state = 'sending';
    p.error = undefined;
    this.bump();
    void this.deliver(p);
  }

  discard(id: number): void {
    this.pending = this.pending.filter((x) => x.id !== id);
    this.bump();
  }

  private async deliver(p: PendingMessage): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      // Encrypted once: a resend reuses the ciphertext and txn id, so the hub never stores it twice;
      // unless the room's members changed meanwhile (someone removed had that key): encrypted anew.
      if (p.prepared && !session.isStillValid(p.prepared)) p.prepared = undefined;
      p.prepared ??= await session.prepareText(p.roomId, p.body);
      p.eventId = await session.sendPrepared(p.prepared);
      p.state = 'sent';
    } catch (err) {
      p.state = 'failed';
      p.error = err instanceof HearthApiError ? err.errcode : 'network';
    }
    this.settlePending();
    this.bump();
  }

  /** Acknowledged messages leave the pending list once the stream has delivered them back. */
  private settlePending(): void {
    const session = this.session;
    if (!session) return;
    const before = this.pending.length;
    this.pending = this.pending.filter(
      (p) => !(p.eventId && session.messages(p.roomId).some((m) => m.event_id === p.eventId)),
    );
    if (this.pending.length !== before) this.version++;
  }

  // Leaving

  /** Signs this device out on the hub and erases it here. */
  async signOut(): Promise<void> {
    await this.http.logout().catch(() => undefined);
    await this.forget();
  }

  /** Erases this device's local data without asking the hub (e.g. from the unlock screen). */
  async forget(): Promise<void> {
    this.outbox?.stop();
    await this.closeSession();
    await wipeLocalData();
    this.restart();
  }

  /**
   * After a wipe: the page starts again (replacing itself, no history entry), which closes any
   * connection that still held the crypto store open; the new page deletes what is left.
   */
  private restart(notice?: Notice): void {
    this.reset('loading');
    if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
    location.replace(location.pathname);
  }

  /**
   * Panic: this browser erases everything at once; the hub revokes every device and token of the
   * account. A wrong password changes nothing. The local wipe never waits for the hub: when the hub
   * cannot be reached, the screen says so and the revocation is asked again until it is done (the
   * token and password stay in this page's memory for that, nowhere else); then the page leaves.
   */
  async panic(password: string): Promise<void> {
    // The password is checked here first (it unseals this device), so a hub that is slow or out
    // of reach delays nothing.
    const local = storedDevice() ? await unsealDevice(password) : null;
    if (storedDevice() && !local) throw new WrongPasswordError();
    const http = this.http;
    this.outbox?.stop();
    await this.closeSession();
    await wipeLocalData();
    this.device = null;
    this.phase = 'panicked';
    this.panicControl = revokeEverywhere(http, password, (state) => {
      this.panicState = state;
      this.bump();
      if (state === 'done') leaveNow();
    });
    window.addEventListener('online', () => this.panicControl?.retryNow());
  }

  /** After `wrongPassword`: the password the hub knows now (changed on another device). */
  panicWithPassword(password: string): void {
    this.panicControl?.usePassword(password);
  }

  /** The person leaves before the hub confirmed (the screen said what that means). */
  leaveAfterPanic(): void {
    this.panicControl?.stop();
    leaveNow();
  }

  // The account

  /** The hub changes the password (other devices signed out unless kept); this browser re-seals its vault. */
  async changePassword(oldPassword: string, newPassword: string, code: string, keepOthers: boolean): Promise<void> {
    if (!this.device) return;
    const typed = code.replace(/\s/g, '');
    const second = !typed ? {} : /^\d{6}$/.test(typed) ? { totp_code: typed } : { recovery_code: typed };
    await this.http.changePassword({
      old_password: oldPassword,
      new_password: newPassword,
      logout_devices: !keepOthers,
      ...second,
    });
    await resealDevice(this.device, newPassword);
  }

  /** Deletes the account on the hub, then everything here; the page starts again and says why. */
  async deleteAccount(password: string): Promise<void> {
    await this.http.deleteAccount({ password });
    this.outbox?.stop();
    await this.closeSession();
    await wipeLocalData();
    this.restart('accountDeleted');
  }

  private offlineWatch: number | null = null;

  /**
   * While the socket is down, asks the hub now and then whether this device still exists (and when
   * the browser comes back online): a device signed out elsewhere erases itself even if its tab
   * stayed open through the outage.
   */
  private watchWhileOffline(): void {
    if (this.offlineWatch !== null) return;
    const check = (): void => {
      if (this.session?.connection !== 'offline') {
        this.stopWatching();
        return;
      }
      void this.checkStillSignedIn();
    };
    this.offlineWatch = window.setInterval(check, 15_000);
    window.addEventListener('online', check);
    this.stopWatching = () => {
      if (this.offlineWatch !== null) window.clearInterval(this.offlineWatch);
      this.offlineWatch = null;
      window.removeEventListener('online', check);
    };
    setTimeout(check, 500);
  }

  private stopWatching: () => void = () => undefined;

  private async checkStillSignedIn(): Promise<void> {
    try {
      await this.http.me();
    } catch (err) {
      if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) await this.signedOutElsewhere();
    }
  }

  /** Closes the crypto session, but never waits long for it: a wipe must not hang on the network. */
  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.stopWatching();
    if (session) await Promise.race([session.close().catch(() => undefined), new Promise((r) => setTimeout(r, 1500))]);
  }

  /** The hub no longer knows this device (remote sign-out, panic elsewhere): nothing here is of use. */
  private async signedOutElsewhere(): Promise<void> {
    this.outbox?.stop();
    await this.closeSession();
    await wipeLocalData();
    this.restart('signedOutElsewhere');
  }

  private reset(phase: Phase): void {
    this.phase = phase;
    this.record = null;
    this.device = null;
    this.outbox = null;
    this.http = new HearthClient(location.origin);
    this.me = null;
    this.cohorts = [];
    this.rooms = [];
    this.mentorships = [];
    this.progressRooms = new Map();
    this.liveNotifications = [];
    this.pending = [];
    this.verifications = [];
    this.notice = null;
    this.bump();
  }
}
