import { HearthClient, SecureSession, SessionOptions } from '@hearth/client';
import { PASSWORD, TestHub } from './hub';

/** A fresh device of an existing account, with its E2EE session running. */
export async function newDevice(t: TestHub, username: string, options: SessionOptions = {}): Promise<SecureSession> {
  const c = t.client();
  await c.login({ username, password: PASSWORD });
  return SecureSession.open(c, options);
}

export async function openSession(client: HearthClient, options: SessionOptions = {}): Promise<SecureSession> {
  return SecureSession.open(client, options);
}

let n = 0;
/** A marker that must never appear in the database: proof the server stores ciphertext only. */
export function marker(label: string): string {
  return `PLAINTEXT-MARKER-${label}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
}
