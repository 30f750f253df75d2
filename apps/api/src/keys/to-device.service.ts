import { Inject, Injectable } from '@nestjs/common';
import { parseUserId } from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { invalid, isObject, JsonObject, objectAt } from '../common/http/json-body.pipe';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { KeysRepository } from './keys.repository';

const MAX_MESSAGES = 1000;
const MAX_CONTENT_BYTES = 64 * 1024;

/**
 * Device-to-device messages (room keys, verification): queued per target device until that
 * device acknowledges a sync that carried them, then deleted. Idempotent on (sender device, txn).
 * Only to oneself or to people one shares a room with: the server is no open relay.
 */
@Injectable()
export class ToDeviceService {
  constructor(
    private readonly keys: KeysRepository,
    private readonly tx: Transactions,
    private readonly limits: RateLimitService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async send(auth: AuthContext, type: string, txnId: string, body: JsonObject): Promise<JsonObject> {
    if (type.length > 255) throw invalid('event type too long');
    if (txnId.length > 255) throw invalid('txnId too long');
    const messages = objectAt(body.messages, 'messages');
    const wanted: { username: string; device: string; content: JsonObject }[] = [];
    for (const [userId, devices] of Object.entries(messages)) {
      const parsed = parseUserId(userId);
      for (const [device, content] of Object.entries(objectAt(devices, `messages.${userId}`))) {
        if (!isObject(content)) throw invalid(`messages.${userId}.${device} must be an object`);
        if (Buffer.byteLength(JSON.stringify(content)) > MAX_CONTENT_BYTES)
          throw invalid('a to-device message is larger than 64 KiB');
        if (parsed && parsed.serverName === this.config.serverName)
          wanted.push({ username: parsed.localpart, device, content });
      }
    }
    if (wanted.length > MAX_MESSAGES) throw invalid(`at most ${MAX_MESSAGES} messages at once`);
    // Each message counts (a room key shared with 50 devices is 50); a request of none counts one.
    await this.limits.consume('toDevice', auth, Math.max(1, wanted.length));
    const users = await this.keys.usersByName([...new Set(wanted.map((w) => w.username))]);
    const visible = await this.keys.visibleTo(
      auth.userUuid,
      users.map((u) => u.uuid),
    );
    const rows: { userUuid: string; deviceId: string; content: JsonObject }[] = [];
    for (const w of wanted) {
      const user = users.find((u) => u.username === w.username);
      if (!user || !visible.has(user.uuid)) continue;
      const targets = w.device === '*' ? await this.keys.devicesOf(user.uuid) : [w.device];
      for (const deviceId of targets) rows.push({ userUuid: user.uuid, deviceId, content: w.content });
    }
    await this.tx.run(async (em) => {
      if (!(await this.keys.claimToDeviceTxn(em, auth.userUuid, auth.deviceId, txnId))) return; // a retry: already queued
      // Only devices that exist (a message to a deleted device has nowhere to wait).
      const existing = await this.keys.existingDevices(em, rows);
      const ok = new Set(existing.map((e) => `${e.user_id}/${e.device_id}`));
      const queued = rows.filter((r) => ok.has(`${r.userUuid}/${r.deviceId}`));
      const positions = await this.tx.positions(em, queued.length);
      if (queued.length) await this.keys.queueToDevice(em, positions, queued, auth.userId, type);
      this.tx.wakeDevicesAfterCommit(em, queued);
    });
    return {};
  }
}
