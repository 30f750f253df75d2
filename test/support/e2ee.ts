import { HearthClient, SecureSession, SessionOptions } from '@hearth/client';
import { PASSWORD, TestHub } from './hub';

/** A fresh device of an existing account, with its E2EE session running. */
export async function newDevice(t: TestHub, username: string, options: SessionOptions = {}): Promise<SecureSession> {
  const c = t.client();
  await c.login({ username, password: PASSWORD });
  return SecureSession.open(c, options);
}

const recoveryKeys = new WeakMap<SecureSession, string>();

/**
 * Makes a new device of an account trusted, as its owner would: `existing` (a device holding the
 * account's secrets) sets up secure backup if it has not yet, and the new device is unlocked with
 * the recovery key, which makes it sign itself. Room keys go only to devices their owner signed,
 * so until then nobody shares keys with it. Resolves once each of `others` sees it as signed.
 */
export async function trustNewDevice(
  existing: SecureSession,
  fresh: SecureSession,
  others: SecureSession[] = [],
): Promise<void> {
  let key = recoveryKeys.get(existing);
  if (!key) {
    key = await existing.recovery.setUp();
    recoveryKeys.set(existing, key);
  }
  await fresh.recovery.recover(key);
  for (const o of others) {
    const deadline = Date.now() + 10_000;
    while (!(await o.trust.signedDevices(fresh.userId)).includes(fresh.deviceId)) {
      if (Date.now() > deadline) throw new Error(`${o.userId} never saw ${fresh.deviceId} signed by its owner`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function openSession(client: HearthClient, options: SessionOptions = {}): Promise<SecureSession> {
  return SecureSession.open(client, options);
}

let n = 0;
/** A marker that must never appear in the database: proof the server stores ciphertext only. */
export function marker(label: string): string {
  return `PLAINTEXT-MARKER-${label}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
}
