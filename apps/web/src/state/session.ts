import { ConnectionState, HearthApiError, HearthClient, SecureSession, Verification } from '@hearth/client';
import { ErrorCode, SetupStateResponse } from '@hearth/protocol';
import { AccountStore } from './account';
import type { Notice, SessionEnvironment } from './environment';
import { NotificationsStore } from './notifications';
import { OfflineWatch } from './offline-watch';
import { MessageOutbox } from './outbox';
import { PanicStore } from './panic';
import { PeopleStore } from './people';
import { SecurityStore } from './security';
import { Store } from './store';
import { SurveyOutbox } from './survey-outbox';
import { TimelineStore } from './timelines';
import { OfflineFiles } from './offline-files';
import { UploadsStore } from './uploads';
import { UnlockedDevice, WrongPasswordError } from './vault';
import { VerificationsStore } from './verifications';

/**
 * `secondFactorSetup`: signed in, but the hub requires a second factor of this account first.
 * `panicked`: this browser is erased; the screen follows the hub's side of the panic.
 */
export type Phase = 'loading' | 'welcome' | 'unlock' | 'opening' | 'secondFactorSetup' | 'ready' | 'panicked';

export interface SessionState {
  phase: Phase;
  /** Whether the hub still waits for its first admin (null until known, or when unreachable). */
  setup: SetupStateResponse | null;
  /** A message for the welcome screen (why the user landed there). */
  notice: Notice | null;
  /** The hub's API: anonymous until a device is open, then that device's. */
  http: HearthClient;
  /** The crypto session while the app is open (kept here until the screens using it are gone). */
  session: SecureSession | null;
  connection: ConnectionState | null;
}

/** `code` as typed: six digits from the authenticator app, or else one of the recovery codes. */
function secondFactor(code: string | undefined): { totp_code?: string; recovery_code?: string } {
  const typed = code?.replace(/\s/g, '');
  return !typed ? {} : /^\d{6}$/.test(typed) ? { totp_code: typed } : { recovery_code: typed };
}

/**
 * Signing in, unlocking, opening the crypto session and leaving (sign-out, panic, deletion): the
 * phase of the page, outside React, one per page. Its snapshot changes only with the phase, the
 * hub's client, the session or its connection; what a session brings (rooms, messages,
 * notifications, verifications, survey answers) lives in stores of their own, held here.
 */
export class SessionController extends Store<SessionState> {
  readonly account = new AccountStore();
  readonly timelines = new TimelineStore();
  readonly outbox = new MessageOutbox();
  /** Files on their way out (encrypted, uploading, sending). */
  readonly uploads = new UploadsStore();
  /** Files kept in this browser for use offline (the library's), sealed like the rest. */
  readonly offlineFiles = new OfflineFiles();
  readonly notifications = new NotificationsStore();
  readonly verifications = new VerificationsStore();
  /** Secure backup and whether this device is confirmed. */
  readonly security = new SecurityStore();
  /** Trust in the people of one's rooms. */
  readonly people = new PeopleStore();
  /** Anonymous survey answers waiting for their random time. */
  readonly surveyOutbox: SurveyOutbox;
  /** After a panic: how the hub's side of it stands (the browser is already erased). */
  readonly panicking: PanicStore;
  private record: { store: string } | null = null;
  /** The unlocked device (its token and store keys): memory only, for re-sealing and the survey outbox. */
  private device: UnlockedDevice | null = null;
  /** The open crypto session; the snapshot keeps it until the screens move on (see closeSession). */
  private session: SecureSession | null = null;
  private offSession: (() => void)[] = [];
  /** A device signed out elsewhere while the socket was down finds out (see OfflineWatch). */
  private readonly offlineWatch: OfflineWatch;

  constructor(private readonly env: SessionEnvironment) {
    super({
      phase: 'loading',
      setup: null,
      notice: null,
      http: new HearthClient(env.origin),
      session: null,
      connection: null,
    });
    this.surveyOutbox = new SurveyOutbox(env.submitSurveyAnswers);
    this.panicking = new PanicStore(env.leave, env.onOnline);
    this.offlineWatch = new OfflineWatch(
      () => this.session?.connection === 'offline',
      () => this.checkStillSignedIn(),
      env.onOnline,
    );
  }

  /** Changes some of the snapshot (a new one only when something differs). */
  private update(change: Partial<SessionState>): void {
    const state = this.getSnapshot();
    const keys = Object.keys(change) as (keyof SessionState)[];
    if (keys.every((k) => Object.is(state[k], change[k]))) return;
    this.set({ ...state, ...change });
  }

  private get http(): HearthClient {
    return this.getSnapshot().http;
  }

  async init(): Promise<void> {
    // The crypto wasm (≈1.4 MB compressed, then cached) starts loading while the user types.
    this.env.preloadCrypto();
    const notice = this.env.takeNotice();
    await this.env.eraseLeftovers();
    this.record = this.env.vault.storedDevice();
    this.update({
      phase: this.record ? 'unlock' : 'welcome',
      notice: notice === 'signedOutElsewhere' || notice === 'accountDeleted' ? notice : null,
    });
    this.update({ setup: await this.http.setupState().catch(() => null) });
  }

  /**
   * `code`: the second factor, when the hub asked for it (HEARTH_SECOND_FACTOR_REQUIRED): six
   * digits from the authenticator app, or else one of the recovery codes.
   */
  async signIn(username: string, password: string, deviceName: string, code?: string): Promise<void> {
    const http = new HearthClient(this.env.origin);
    const s = await http.login({
      username,
      password,
      device_display_name: deviceName || 'Web browser',
      ...secondFactor(code),
    });
    await this.open(await this.env.vault.sealDevice(s, password));
  }

  async register(inviteCode: string, username: string, password: string, deviceName: string): Promise<void> {
    const http = new HearthClient(this.env.origin);
    const s = await http.register({
      invite_code: inviteCode.trim(),
      username,
      password,
      device_display_name: deviceName || 'Web browser',
    });
    await this.open(await this.env.vault.sealDevice(s, password));
  }

  async unlock(password: string): Promise<void> {
    if (!this.record) return;
    const device = await this.env.vault.unsealDevice(password);
    if (!device) throw new WrongPasswordError();
    await this.open(device);
  }

  /** The second factor the hub required is set up: on to the app. */
  async secondFactorReady(): Promise<void> {
    if (this.device) await this.open(this.device);
  }

  /** Back to the form after a failed opening, with the error (a device just signed in is kept). */
  private backToForm(): void {
    this.record = this.env.vault.storedDevice();
    this.update({ http: new HearthClient(this.env.origin), phase: this.record ? 'unlock' : 'welcome' });
  }

  private async open(device: UnlockedDevice): Promise<void> {
    this.device = device;
    const http = new HearthClient(this.env.origin, {
      userId: device.userId,
      deviceId: device.deviceId,
      accessToken: device.accessToken,
    });
    this.update({ phase: 'opening', http });
    // On a slow link every round trip counts: the crypto session and the account's lists load
    // side by side. A revoked token (remote sign-out, panic elsewhere) fails the lists with 401.
    const opening = this.env.openSession(http, { name: device.storeName, key: device.storeKey });
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
        this.account.setMe(await http.me().catch(() => null));
        this.update({ phase: 'secondFactorSetup' });
        return;
      }
      this.backToForm();
      throw err;
    }
    let session: SecureSession;
    try {
      session = await opening;
    } catch (err) {
      // IndexedDB unavailable (a private window), the socket refused…: back to the form, with the error.
      this.backToForm();
      throw err;
    }
    this.record = this.env.vault.storedDevice();
    this.session = session;
    this.timelines.attach(session);
    this.outbox.attach(session);
    this.uploads.attach(session);
    this.offlineFiles.attach(device);
    this.offSession = [
      session.onChange(() => this.account.noticeRooms(this.http, session)),
      session.onConnection((state) => {
        this.update({ connection: state });
        if (state === 'signed_out') void this.signedOutElsewhere();
        else if (state === 'offline') this.offlineWatch.start();
      }),
      session.onVerificationRequest((v) => this.track(v)),
      session.onNotification((n) => {
        this.notifications.push(n);
        // A cohort's purge day set or moved, or the cohort purged: its page and rooms follow.
        if (n.type === 'cohort_purge_scheduled' || n.type === 'cohort_purged')
          void this.refresh().catch(() => undefined);
      }),
    ];
    void this.surveyOutbox.start(this.env.vault.appData(device)).catch(() => undefined);
    this.people.attach(session);
    // Known before the first screen, so that a device still to be confirmed says so at once (not
    // after a flash of the app); a slow hub delays it a little at most.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.security.attach(session), new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    this.update({ phase: 'ready', session, connection: session.connection });
    // The account's first device creates its cross-signing identity; later ones get verified by
    // it. Not on the way to the first message: it runs once the app is usable.
    void session.ensureCrossSigning().catch(() => undefined);
  }

  /**
   * Reloads who the user is, their cohorts and rooms (after creating a room, joining a cohort…);
   * only the latest answer is applied.
   */
  refresh(): Promise<void> {
    return this.account.refresh(this.http, this.session);
  }

  /** Starts an emoji verification of another device of this account. */
  async verifyDevice(deviceId: string): Promise<void> {
    if (!this.session) return;
    this.track(await this.session.verifyOwnDevice(deviceId));
  }

  /** Asks a person for an emoji verification (on each of their devices; they answer on one). */
  async verifyPerson(userId: string): Promise<void> {
    if (!this.session) return;
    this.track(await this.session.verifyPerson(userId));
  }

  /**
   * Accepts a room mate's changed identity without verifying it again: the notice goes, and the
   * messages held because of it go out.
   */
  async acknowledgeIdentity(userId: string): Promise<void> {
    await this.people.acknowledge(userId);
    this.outbox.resendHeld();
    this.uploads.resendHeld();
  }

  private track(v: Verification): void {
    this.verifications.track(v);
    this.security.follow(v);
    this.people.follow(v);
  }

  // Leaving

  /** Signs this device out on the hub and erases it here. */
  async signOut(): Promise<void> {
    await this.http.logout().catch(() => undefined);
    await this.forget();
  }

  /** Erases this device's local data without asking the hub (e.g. from the unlock screen). */
  async forget(): Promise<void> {
    this.surveyOutbox.stop();
    await this.closeSession();
    await this.env.wipeLocalData();
    this.restart();
  }

  /**
   * After a wipe: the page starts again (replacing itself, no history entry), which closes any
   * connection that still held the crypto store open; the new page deletes what is left.
   */
  private restart(notice?: Notice): void {
    this.reset('loading');
    this.env.restart(notice);
  }

  /**
   * Panic: this browser erases everything at once; the hub revokes every device and token of the
   * account. A wrong password changes nothing. The local wipe never waits for the hub: when the hub
   * cannot be reached, the screen says so and the revocation is asked again until it is done (the
   * token and password stay in this page's memory for that, nowhere else); then the page leaves.
   */
  async panic(password: string): Promise<void> {
    const vault = this.env.vault;
    // The password is checked here first (it unseals this device), so a hub that is slow or out
    // of reach delays nothing.
    const local = vault.storedDevice() ? await vault.unsealDevice(password) : null;
    if (vault.storedDevice() && !local) throw new WrongPasswordError();
    const http = this.http;
    this.surveyOutbox.stop();
    await this.closeSession();
    await this.env.wipeLocalData();
    this.device = null;
    this.panicking.begin(http, password);
    this.update({ phase: 'panicked', session: null, connection: null });
  }

  // The account

  /** The hub changes the password (other devices signed out unless kept); this browser re-seals its vault. */
  async changePassword(oldPassword: string, newPassword: string, code: string, keepOthers: boolean): Promise<void> {
    if (!this.device) return;
    await this.http.changePassword({
      old_password: oldPassword,
      new_password: newPassword,
      logout_devices: !keepOthers,
      ...secondFactor(code),
    });
    await this.env.vault.resealDevice(this.device, newPassword);
  }

  /** Deletes the account on the hub, then everything here; the page starts again and says why. */
  async deleteAccount(password: string): Promise<void> {
    await this.http.deleteAccount({ password });
    this.surveyOutbox.stop();
    await this.closeSession();
    await this.env.wipeLocalData();
    this.restart('accountDeleted');
  }

  private async checkStillSignedIn(): Promise<void> {
    try {
      await this.http.me();
    } catch (err) {
      if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) await this.signedOutElsewhere();
    }
  }

  /**
   * Closes the crypto session, but never waits long for it: a wipe must not hang on the network.
   * The snapshot keeps the closed session until the phase changes: the screen shown meanwhile
   * stays as it was rather than flickering to "loading" during the wipe.
   */
  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = null;
    for (const off of this.offSession) off();
    this.offSession = [];
    this.timelines.detach();
    this.outbox.attach(null);
    this.uploads.attach(null);
    // Closed before any wipe: an open connection would hold its database from deletion.
    this.offlineFiles.attach(null);
    this.people.attach(null);
    void this.security.attach(null);
    this.offlineWatch.stop();
    if (!session) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([session.close().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 1500)))]);
    clearTimeout(timer);
  }

  /** The hub no longer knows this device (remote sign-out, panic elsewhere): nothing here is of use. */
  private async signedOutElsewhere(): Promise<void> {
    this.surveyOutbox.stop();
    await this.closeSession();
    await this.env.wipeLocalData();
    this.restart('signedOutElsewhere');
  }

  private reset(phase: Phase): void {
    this.record = null;
    this.device = null;
    this.surveyOutbox.stop();
    this.account.clear();
    this.timelines.attach(null);
    this.outbox.clear();
    this.uploads.clear();
    this.notifications.seen();
    this.verifications.clear();
    this.update({ phase, http: new HearthClient(this.env.origin), session: null, connection: null, notice: null });
  }
}
