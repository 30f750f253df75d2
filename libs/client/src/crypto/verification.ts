import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { RequestSender } from './outgoing-requests';

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

/**
 * One emoji (SAS) verification between two devices of the same user, driven by the OlmMachine's
 * state changes. The side that requested starts the SAS as soon as the other accepts; the side
 * that accepted accepts the SAS when it starts; the user only accepts and compares emoji.
 */
export class EmojiVerification {
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
    }
    this.phase = this.computePhase();
    for (const l of this.listeners) l();
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
