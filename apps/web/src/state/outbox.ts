import { HearthApiError, IdentityChangedError, PreparedMessage, RoomRetention, SecureSession } from '@hearth/client';
import { Store } from './store';

/** A message typed on this device that the hub has not acknowledged yet (or refused). */
export interface PendingMessage {
  readonly id: number;
  readonly roomId: string;
  readonly body: string;
  readonly ts: number;
  readonly state: 'sending' | 'failed' | 'sent';
  /**
   * The errcode of the last failure, for the UI's explanation; `identity_changed`: held because
   * someone verified before has a new identity (see IdentityChangedError).
   */
  readonly error?: string;
  readonly eventId?: string;
}

/** What the outbox needs of the crypto session. */
export type OutboxSession = Pick<
  SecureSession,
  'prepareText' | 'sendPrepared' | 'isStillValid' | 'messages' | 'onChange'
> &
  RetentionSource;

/** What the outbox and the uploads read of the rooms' retention. */
export interface RetentionSource {
  readonly retention: Pick<RoomRetention, 'of'>;
}

/**
 * What is still on its way out: the items whose event the sync stream has not delivered back to
 * their room yet (the outbox's messages, the uploads' files). One sent longer ago than its room's
 * retention never comes back (the hub no longer hands it out): it goes, as its message did.
 */
export function notDeliveredBack<T extends { roomId: string; eventId?: string; ts: number }>(
  items: readonly T[],
  session: Pick<SecureSession, 'messages'> & RetentionSource,
  now = Date.now(),
): T[] {
  return items.filter((x) => {
    if (!x.eventId) return true;
    const life = session.retention.of(x.roomId)?.maxLifetimeMs ?? null;
    if (life !== null && x.ts < now - life) return false;
    return !session.messages(x.roomId).some((m) => m.event_id === x.eventId);
  });
}

/**
 * Messages on their way out, shown at the end of their room's timeline until the sync stream
 * delivers them back. Every change gives a new list of new items (never changed in place).
 */
export class MessageOutbox extends Store<readonly PendingMessage[]> {
  private session: OutboxSession | null = null;
  private off: (() => void) | null = null;
  private counter = 0;
  /** Each message's ciphertext, kept for a resend (never shown, so not in the snapshot). */
  private readonly prepared = new Map<number, PreparedMessage>();

  constructor() {
    super([]);
  }

  /**
   * The session messages go out through (null: none open; what is typed waits as `sending`); each
   * change of it may be a message delivered back.
   */
  attach(session: OutboxSession | null): void {
    this.off?.();
    this.session = session;
    this.off = session ? session.onChange(() => this.settle()) : null;
  }

  send(roomId: string, body: string): void {
    const p: PendingMessage = { id: ++this.counter, roomId, body, ts: Date.now(), state: 'sending' };
    this.set([...this.getSnapshot(), p]);
    void this.deliver(p.id);
  }

  resend(id: number): void {
    const p = this.getSnapshot().find((x) => x.id === id);
    if (!p || p.state !== 'failed') return;
    this.patch(id, { state: 'sending', error: undefined });
    void this.deliver(id);
  }

  /** Sends again what was held for a changed identity (once the person acknowledged or verified). */
  resendHeld(): void {
    for (const p of this.getSnapshot()) if (p.state === 'failed' && p.error === 'identity_changed') this.resend(p.id);
  }

  discard(id: number): void {
    this.prepared.delete(id);
    this.set(this.getSnapshot().filter((x) => x.id !== id));
  }

  /** Acknowledged messages leave the list once the stream has delivered them back. */
  private settle(): void {
    if (!this.session) return;
    const before = this.getSnapshot();
    const after = notDeliveredBack(before, this.session);
    if (after.length === before.length) return;
    for (const p of before) if (!after.includes(p)) this.prepared.delete(p.id);
    this.set(after);
  }

  clear(): void {
    this.prepared.clear();
    this.set([]);
  }

  private async deliver(id: number): Promise<void> {
    const session = this.session;
    const p = this.getSnapshot().find((x) => x.id === id);
    if (!session || !p) return;
    try {
      // Encrypted once: a resend reuses the ciphertext and txn id, so the hub never stores it twice;
      // unless the room's members changed meanwhile (someone removed had that key): encrypted anew.
      let prepared = this.prepared.get(id);
      if (prepared && !session.isStillValid(prepared)) prepared = undefined;
      prepared ??= await session.prepareText(p.roomId, p.body);
      if (this.getSnapshot().some((x) => x.id === id)) this.prepared.set(id, prepared);
      const eventId = await session.sendPrepared(prepared);
      this.patch(id, { state: 'sent', eventId });
    } catch (err) {
      const error =
        err instanceof HearthApiError
          ? err.errcode
          : err instanceof IdentityChangedError
            ? 'identity_changed'
            : 'network';
      this.patch(id, { state: 'failed', error });
    }
    this.settle();
  }

  private patch(id: number, change: Partial<PendingMessage>): void {
    this.set(this.getSnapshot().map((x) => (x.id === id ? { ...x, ...change } : x)));
  }
}
