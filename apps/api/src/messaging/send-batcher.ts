import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { HearthException } from '../common/errors/hearth.exception';
import { newEventId } from '../common/secrets';
import { Transactions } from '../stream/transactions';
import { LIBRARY_PUBLISH_REFUSED, mayPublishInLibrary } from '../library/library-policy';
import { MediaService } from '../media/media.service';
import { MessagingRepository } from './messaging.repository';

export interface PendingSend {
  userUuid: string;
  userId: string;
  deviceId: string;
  roomId: string;
  txnId: string;
  type: string;
  content: string;
  /** The Curve25519 key the content names, if any: it must be the sending device's. */
  senderKey: string | null;
  /** Uploads the message refers to: claimed for it in its transaction. */
  media: string[];
  resolve(eventId: string): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 512;

/**
 * Group commit for room messages: sends that arrive while a transaction is in flight are written
 * together by the next one, so the durable cost (one commit, one fsync) is shared. Every send is
 * acknowledged only after its transaction committed. Membership, mute, the announcements rule and
 * the library's (who may publish there) are checked inside the transaction, after the stream lock:
 * a removal either committed before (the send is refused) or is ordered after the message.
 */
@Injectable()
export class SendBatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('Send');
  private queue: PendingSend[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly tx: Transactions,
    private readonly repo: MessagingRepository,
    private readonly media: MediaService,
  ) {}

  submit(send: Omit<PendingSend, 'resolve' | 'reject'>): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...send, resolve, reject });
      this.running ??= this.drain().finally(() => (this.running = null));
    });
  }

  /** Resolves once every send submitted so far is committed (or refused). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      if (await this.commit(batch)) continue;
      // The batch failed as a whole (the database refused something in it): one send at a time, so
      // that only the send at fault fails and the others of its group commit still go through.
      for (const s of batch) await this.commit([s]);
    }
  }

  /** Writes and settles a batch; false when it failed as a whole and holds more than one send. */
  private async commit(batch: PendingSend[]): Promise<boolean> {
    try {
      const outcomes = await this.tx.run((em) => this.write(em, batch));
      batch.forEach((s, i) => {
        const o = outcomes[i];
        if (typeof o === 'string') s.resolve(o);
        else s.reject(o);
      });
      return true;
    } catch (err) {
      this.logger.error(`batch of ${batch.length} failed: ${err instanceof Error ? err.message : 'unknown'}`);
      if (batch.length > 1) return false;
      batch[0].reject(err);
      return true;
    }
  }

  /** Writes a batch; returns per send its event id or the error that refused it. */
  private async write(em: EntityManager, batch: PendingSend[]): Promise<(string | HearthException)[]> {
    await this.tx.lockStream(em);
    const outcomes: (string | HearthException | null)[] = batch.map(() => null);

    // Retries: (device, txn) seen before → the same event id, nothing stored.
    const existing = await this.repo.knownTxns(em, batch);
    const known = new Map(existing.map((e) => [`${e.user_id}/${e.device_id}/${e.txn_id}`, e.event_id]));

    const senders = await this.repo.senders(em, batch);
    const bySender = new Map(senders.map((r) => [`${r.room_id}/${r.user_id}`, r]));

    // The sending device must still exist: a device signed out on another node, whose socket that
    // node has not closed yet, sends nothing more. Its identity key checks the content's sender_key.
    const devices = await this.repo.sendingDevices(em, batch);
    const byDevice = new Map(devices.map((d) => [`${d.user_id}/${d.device_id}`, d.curve]));

    const fresh: { i: number; eventId: string }[] = [];
    const inBatch = new Map<string, number>();
    const now = Date.now();
    batch.forEach((s, i) => {
      const key = `${s.userUuid}/${s.deviceId}/${s.txnId}`;
      const seen = known.get(key);
      if (seen) return void (outcomes[i] = seen);
      if (inBatch.has(key)) return; // resolved below to the first one's id
      const device = `${s.userUuid}/${s.deviceId}`;
      if (!byDevice.has(device)) {
        return void (outcomes[i] = new HearthException(ErrorCode.Unauthorized, 'This device was signed out'));
      }
      if (s.senderKey !== null && s.senderKey !== byDevice.get(device)) {
        return void (outcomes[i] = new HearthException(ErrorCode.NotEncrypted, "sender_key is not this device's key"));
      }
      const sender = bySender.get(`${s.roomId}/${s.userUuid}`);
      if (!sender) return void (outcomes[i] = new HearthException(ErrorCode.NotFound, 'No such room'));
      if (sender.kind === 'announcements' && sender.role !== 'coordinator') {
        return void (outcomes[i] = new HearthException(ErrorCode.Forbidden, 'Only coordinators post announcements'));
      }
      // Publishing in a library is sending a file there; any member may post a message without one
      // (a request to post the library again, a publisher's edit or removal): readers accept
      // versions only from a resource's publisher or a coordinator.
      if (
        sender.kind === 'library' &&
        s.media.length > 0 &&
        !mayPublishInLibrary(sender.role, sender.library_participants_publish)
      ) {
        return void (outcomes[i] = new HearthException(ErrorCode.Forbidden, LIBRARY_PUBLISH_REFUSED));
      }
      if (sender.muted_until && sender.muted_until.getTime() > now) {
        return void (outcomes[i] = new HearthException(
          ErrorCode.Muted,
          `Muted until ${sender.muted_until.toISOString()}`,
        ));
      }
      inBatch.set(key, i);
      fresh.push({ i, eventId: newEventId() });
    });

    // Files: each must be a finished upload of the sender into this room, not yet in a message.
    const claimed = new Set<string>();
    const accepted = fresh.filter((f) => f.i >= 0);
    fresh.length = 0;
    for (const f of accepted) {
      const s = batch[f.i];
      if (
        s.media.length === 0 ||
        (s.media.every((id) => !claimed.has(id)) && (await this.media.claimable(em, s.media, s.userUuid, s.roomId)))
      ) {
        for (const id of s.media) claimed.add(id);
        fresh.push(f);
        continue;
      }
      outcomes[f.i] = new HearthException(
        ErrorCode.InvalidParam,
        'A file of this message is not a finished upload of yours in this room, or is already in a message',
      );
    }

    if (fresh.length > 0) {
      const positions = await this.tx.positions(em, fresh.length, 'messages');
      const rows = fresh.map((f) => batch[f.i]);
      const eventIds = fresh.map((f) => f.eventId);
      await this.repo.insertMessages(em, positions, eventIds, rows, now);
      await this.repo.insertTxns(em, rows, eventIds);
      for (const [k, row] of rows.entries()) {
        if (row.media.length > 0) await this.media.attach(em, row.media, eventIds[k]);
      }
      for (const f of fresh) outcomes[f.i] = f.eventId;
      this.tx.attachMessages(
        em,
        fresh.map((f, k) => ({
          stream_pos: positions[k],
          event_id: f.eventId,
          room_id: rows[k].roomId,
          sender: rows[k].userId,
          type: rows[k].type,
          content: JSON.parse(rows[k].content) as Record<string, unknown>,
          origin_server_ts: now,
        })),
      );
      const members = await this.repo.roomMembers(em, [...new Set(rows.map((s) => s.roomId))]);
      this.tx.wakeUsersAfterCommit(
        em,
        members.map((m) => m.user_id),
      );
    }
    // Duplicates inside the batch get the id of their first occurrence.
    batch.forEach((s, i) => {
      if (outcomes[i] === null) outcomes[i] = outcomes[inBatch.get(`${s.userUuid}/${s.deviceId}/${s.txnId}`)!];
    });
    return outcomes as (string | HearthException)[];
  }
}
