import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import type { SyncResponse } from '@hearth/protocol';

let ready: Promise<void> | null = null;
/** Loads the crypto SDK's WebAssembly once per process (≈50 ms). */
export function initCrypto(): Promise<void> {
  ready ??= Crypto.initAsync();
  return ready;
}

/** Who this device is; read when needed (SecureSession's getters, from the signed-in client). */
export interface DeviceIdentity {
  readonly userId: string;
  readonly deviceId: string;
}

/**
 * Opens this device's OlmMachine: in memory, or from a persistent crypto store (IndexedDB,
 * browsers only) encrypted at rest with a 32-byte key.
 */
export async function openMachine(
  userId: string,
  deviceId: string,
  store?: { name: string; key: Uint8Array },
): Promise<Crypto.OlmMachine> {
  await initCrypto();
  let machine: Crypto.OlmMachine;
  if (store) {
    const handle = await Crypto.StoreHandle.openWithKey(store.name, store.key);
    try {
      machine = await Crypto.OlmMachine.initFromStore(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId), handle);
    } finally {
      // The handle holds its own connection to the database: freed, machine.close() really
      // closes it (and a local wipe can delete the database).
      handle.free();
    }
  } else {
    machine = await Crypto.OlmMachine.initialize(new Crypto.UserId(userId), new Crypto.DeviceId(deviceId));
  }
  // A store reopened after a while missed the device-list changes of its absence: re-query them.
  if (store) await machine.markAllTrackedUsersAsDirty();
  return machine;
}

/** Hands the machine what a sync frame carries for it: to-device events, device-list changes, key counts. */
export async function receiveSyncChanges(machine: Crypto.OlmMachine, sync: SyncResponse): Promise<void> {
  await machine.receiveSyncChanges(
    JSON.stringify(sync.to_device.events),
    new Crypto.DeviceLists(
      sync.device_lists.changed.map((u) => new Crypto.UserId(u)),
      sync.device_lists.left.map((u) => new Crypto.UserId(u)),
    ),
    new Map(Object.entries(sync.device_one_time_keys_count)),
    new Set(sync.device_unused_fallback_key_types),
  );
}
