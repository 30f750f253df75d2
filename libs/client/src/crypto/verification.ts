import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { Listener, Listeners } from '../listeners';
import type { DeviceIdentity } from './machine';
import type { OutgoingRequests, RequestSender } from './outgoing-requests';

/**
 * Where an emoji verification stands. `requested`: waiting for the other device to accept;
 * `incoming`: the other device asks, this one has not answered; `ready`/`started`: the devices
 * are agreeing on keys; `emoji`: both show the same seven emoji, the user compares them;
 * `confirmed`: this side said they match, waiting for the other; `done`; `cancelled`.
 */
export type VerificationPhase =
  'requested' | 'incoming' | 'ready' | 'started' | 'emoji' | 'confirmed' | 'done' | 'cancelled';

export interface VerificationEmoji {
  symbol: string;
  /** The English name from the SAS specification (e.g. "Dog"). */
  description: string;
}

/** An emoji verification as a screen sees it (one device's, or a person's over several devices). */
export interface Verification {
  readonly phase: VerificationPhase;
  readonly emoji: VerificationEmoji[] | null;
  readonly error: unknown;
  readonly flowId: string;
  /** True when the other side asked. */
  readonly incoming: boolean;
  readonly otherUserId: string;
  readonly otherDeviceId: string | undefined;
  onChange(listener: () => void): () => void;
  accept(): Promise<void>;
  confirm(): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * One emoji (SAS) verification between two devices (of the same person, or of two people: then
 * it verifies the other person's identity too, which the SAS covers), driven by the OlmMachine's
 * state changes. The side that requested starts the SAS as soon as the other accepts; the side
 * that accepted accepts the SAS when it starts; the user only accepts and compares emoji.
 */
export class EmojiVerification implements Verification {
  private sas: Crypto.Sas | null = null;
  private starting = false;
  private acceptedByUser: boolean;
  private readonly listeners = new Set<() => void>();
  phase: VerificationPhase;
  emoji: VerificationEmoji[] | null = null;
  /** The last failure sending a verification message, for the UI to show. */
  error: unknown = null;

  constructor(
    /** Sends the verification's to-device messages (the session's OutgoingRequests). */
    private readonly sender: RequestSender,
    private readonly request: Crypto.VerificationRequest,
    readonly incoming: boolean,
  ) {
    this.acceptedByUser = !incoming;
    this.phase = incoming ? 'incoming' : 'requested';
    request.registerChangesCallback(() => this.update());
  }

  get otherDeviceId(): string | undefined {
    return this.request.otherDeviceId?.toString();
  }

  get otherUserId(): string {
    return this.request.otherUserId.toString();
  }

  get flowId(): string {
    return this.request.flowId;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The user agrees to verify (incoming requests only). */
  async accept(): Promise<void> {
    this.acceptedByUser = true;
    const r = this.request.acceptWithMethods([Crypto.VerificationMethod.SasV1]);
    if (r) await this.send(r);
    await this.update();
  }

  /** The user says the emoji match on both screens. */
  async confirm(): Promise<void> {
    if (!this.sas) return;
    for (const r of await this.sas.confirm()) await this.send(r);
    await this.update();
  }

  /** The user says the emoji differ (someone is in the middle), or gives up. */
  async cancel(): Promise<void> {
    const r = this.sas && !this.sas.isDone() ? this.sas.cancel() : this.request.cancel();
    if (r) await this.send(r);
    await this.update();
  }

  private async send(r: Crypto.OutgoingVerificationRequest): Promise<void> {
    try {
      await this.sender.sendRequest(r);
    } catch (err) {
      this.error = err;
    }
  }

  private async update(): Promise<void> {
    const request = this.request;
    if (!this.sas && !this.incoming && request.isReady() && !this.starting) {
      this.starting = true;
      const started = await request.startSas();
      if (started) {
        this.attach(started[0]);
        await this.send(started[1]);
      }
    }
    const v = request.getVerification();
    if (!this.sas && v instanceof Crypto.Sas) {
      this.attach(v);
      if (this.incoming && this.acceptedByUser && !v.weStarted()) {
        const r = v.accept();
        if (r) await this.send(r);
      }
    } else {
      // A new handle on each call: the one attached already stays; this one is freed.
      v?.free();
    }
    this.phase = this.computePhase();
    for (const l of this.listeners) l();
  }

  /**
   * Frees the SDK's objects behind this verification (when the session closes): each holds the
   * crypto store open until freed, and a local wipe must be able to delete the store at once.
   */
  dispose(): void {
    this.sas?.free();
    this.sas = null;
    this.request.free();
  }

  private attach(sas: Crypto.Sas): void {
    this.sas = sas;
    sas.registerChangesCallback(() => this.update());
  }

  private computePhase(): VerificationPhase {
    const sas = this.sas;
    if (this.request.isCancelled() || sas?.isCancelled()) return 'cancelled';
    if (this.request.isDone() || sas?.isDone()) return 'done';
    if (sas?.haveWeConfirmed()) return 'confirmed';
    if (sas?.canBePresented()) {
      this.emoji ??= (sas.emoji() ?? []).map((e) => ({ symbol: e.symbol, description: e.description }));
      return 'emoji';
    }
    if (sas) return 'started';
    if (this.request.isReady()) return 'ready';
    return this.incoming && !this.acceptedByUser ? 'incoming' : 'requested';
  }
}

/**
 * This device's verifications: the emoji verifications it asks for or is asked for, and whether
 * a device is verified.
 */
export class Verifications {
  private readonly seen = new Set<string>();
  /** Every verification made here, to free when the session closes. */
  private readonly made = new Set<EmojiVerification>();
  private readonly listeners = new Listeners<EmojiVerification>();
  private readonly ownDeviceVerified = new Listeners<void>();

  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly requests: OutgoingRequests,
    private readonly me: DeviceIdentity,
  ) {}

  /**
   * Called when a verification between this device and another of the account's devices is done
   * (a new device then asks the other for the account's secrets).
   */
  onOwnDeviceVerified(listener: () => void): () => void {
    return this.ownDeviceVerified.add(listener);
  }

  /** Starts an emoji (SAS) verification with another device; the other side answers with acceptVerification. */
  async request(userId: string, deviceId: string): Promise<Crypto.VerificationRequest> {
    await this.machine.updateTrackedUsers([new Crypto.UserId(userId)]);
    await this.requests.processOutgoingRequests();
    const device = await this.machine.getDevice(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
    if (!device) throw new Error(`unknown device ${userId} ${deviceId}`);
    // A device object holds the crypto store open until freed (see openMachine).
    const [request, toDevice] = device.requestVerification([Crypto.VerificationMethod.SasV1]);
    device.free();
    await this.requests.sendRequest(toDevice);
    return request;
  }

  /** Called with each emoji verification another device of this user asks for. */
  onRequest(listener: Listener<EmojiVerification>): () => void {
    return this.listeners.add(listener);
  }

  /** Asks another device of this user for an emoji verification. */
  async verifyOwnDevice(deviceId: string): Promise<EmojiVerification> {
    const request = await this.request(this.me.userId, deviceId);
    this.seen.add(request.flowId);
    return this.track(this.make(request, false));
  }

  /**
   * Asks a person for an emoji verification, on each of their devices that they have signed: they
   * answer on whichever they hold (the others are then cancelled). Comparing the emoji in person
   * or on a call verifies their identity, not only one device.
   */
  async verifyPerson(userId: string, deviceIds: string[]): Promise<PersonVerification> {
    if (deviceIds.length === 0) throw new Error(`${userId} has no device that can be verified`);
    const asked: EmojiVerification[] = [];
    for (const deviceId of deviceIds) {
      const request = await this.request(userId, deviceId);
      this.seen.add(request.flowId);
      asked.push(this.make(request, false));
    }
    return new PersonVerification(userId, asked);
  }

  /** Frees what the verifications made here hold (before the machine closes). */
  close(): void {
    for (const v of this.made) v.dispose();
    this.made.clear();
  }

  private make(request: Crypto.VerificationRequest, incoming: boolean): EmojiVerification {
    const v = new EmojiVerification(this.requests, request, incoming);
    this.made.add(v);
    return v;
  }

  private track(v: EmojiVerification): EmojiVerification {
    if (v.otherUserId !== this.me.userId) return v;
    let told = false;
    v.onChange(() => {
      if (v.phase === 'done' && !told) {
        told = true;
        this.ownDeviceVerified.emit();
      }
    });
    return v;
  }

  /** Whether a device is verified (cross-signed by its owner's verified identity, or verified here). */
  async isDeviceVerified(userId: string, deviceId: string): Promise<boolean> {
    const device = await this.machine.getDevice(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
    const verified = device?.isVerified() ?? false;
    device?.free();
    return verified;
  }

  /**
   * Tells the listeners of the requests not seen yet (after each sync): from this user's other
   * devices, and from the `senders` of requests in the sync (other people verifying this one).
   */
  noticeIncoming(senders: readonly string[] = []): void {
    if (this.listeners.size === 0) return;
    for (const userId of new Set([this.me.userId, ...senders])) {
      for (const r of this.machine.getVerificationRequests(new Crypto.UserId(userId))) {
        if (r.weStarted() || r.isCancelled() || r.isDone() || this.seen.has(r.flowId)) {
          r.free();
          continue;
        }
        this.seen.add(r.flowId);
        this.listeners.emit(this.track(this.make(r, true)));
      }
    }
  }

  /** The verification requests other devices have sent this one. */
  incoming(fromUserId: string): Crypto.VerificationRequest[] {
    return this.machine.getVerificationRequests(new Crypto.UserId(fromUserId)).filter((r) => !r.weStarted());
  }
}

/**
 * A person asked on several devices at once: the first device that answers carries the
 * verification, and the requests to the others are cancelled.
 */
export class PersonVerification implements Verification {
  private chosen: EmojiVerification | null = null;
  private readonly listeners = new Listeners<void>();
  readonly incoming = false;

  constructor(
    readonly otherUserId: string,
    private readonly asked: EmojiVerification[],
  ) {
    for (const v of asked) v.onChange(() => this.update(v));
  }

  private get current(): EmojiVerification {
    return this.chosen ?? this.asked[0];
  }

  get phase(): VerificationPhase {
    if (this.chosen) return this.chosen.phase;
    return this.asked.every((v) => v.phase === 'cancelled') ? 'cancelled' : 'requested';
  }

  get emoji(): VerificationEmoji[] | null {
    return this.chosen?.emoji ?? null;
  }

  get error(): unknown {
    return this.current.error;
  }

  get flowId(): string {
    return this.current.flowId;
  }

  get otherDeviceId(): string | undefined {
    return this.chosen?.otherDeviceId;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  accept(): Promise<void> {
    return Promise.resolve(); // the person answers; this side has nothing to accept
  }

  async confirm(): Promise<void> {
    await this.chosen?.confirm();
  }

  async cancel(): Promise<void> {
    for (const v of this.chosen ? [this.chosen] : this.asked) await v.cancel();
  }

  private update(v: EmojiVerification): void {
    if (!this.chosen && v.phase !== 'requested' && v.phase !== 'cancelled') {
      this.chosen = v;
      for (const other of this.asked) if (other !== v) void other.cancel();
    }
    this.listeners.emit();
  }
}
