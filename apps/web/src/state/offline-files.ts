import { Store } from './store';

/** What the offline copy of one file holds: its description sealed, its ciphertext as downloaded. */
interface OfflineRecord {
  id: string;
  iv: Uint8Array<ArrayBuffer>;
  /** AES-GCM (the vault's data key) of the JSON description, which holds the file's own key. */
  sealed: ArrayBuffer;
  /** The file's ciphertext exactly as the hub stores it (AES-CTR under the file's key). */
  data: Uint8Array<ArrayBuffer>;
}

const STORE = 'files';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Files kept in this browser for use without a connection (the library's resources). Each is
 * stored as the hub's ciphertext beside its description sealed with the vault's data key: the
 * file's key is inside that description, so a copy of the profile without the password reads
 * nothing, and a file is decrypted only when it is opened. Panic and sign-out delete the database
 * with every other (see browser.ts). The snapshot is the set of ids kept.
 */
export class OfflineFiles extends Store<ReadonlySet<string>> {
  private db: Promise<IDBDatabase> | null = null;
  private key: Promise<CryptoKey> | null = null;
  private name: string | null = null;

  constructor() {
    super(new Set());
  }

  /** The unlocked device's store name and data key (null: signed out, nothing kept in memory). */
  attach(device: { storeName: string; dataKey: Uint8Array<ArrayBuffer> } | null): void {
    void this.db?.then((db) => db.close()).catch(() => undefined);
    this.db = null;
    this.set(new Set());
    if (!device) {
      this.key = null;
      this.name = null;
      return;
    }
    this.name = `${device.storeName}::files`;
    this.key = crypto.subtle.importKey('raw', device.dataKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
  }

  /** The database's name, for the wipe (null when none is attached). */
  get databaseName(): string | null {
    return this.name;
  }

  /** Reads which ids are kept (the snapshot); the library calls it when it opens. */
  async refresh(): Promise<void> {
    const db = await this.open();
    const keys = await request(db.transaction(STORE).objectStore(STORE).getAllKeys());
    this.set(new Set(keys.map(String)));
  }

  async save(id: string, description: unknown, data: Uint8Array<ArrayBuffer>): Promise<void> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(description));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await this.cryptoKey(), plain);
    const record: OfflineRecord = { id, iv, sealed, data };
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(record);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
    this.set(new Set([...this.getSnapshot(), id]));
  }

  /** A kept file: its description (unsealed) and its ciphertext; null when not kept. */
  async load<T>(id: string): Promise<{ description: T; data: Uint8Array<ArrayBuffer> } | null> {
    const db = await this.open();
    const record = (await request(db.transaction(STORE).objectStore(STORE).get(id))) as OfflineRecord | undefined;
    if (!record) return null;
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv },
      await this.cryptoKey(),
      record.sealed,
    );
    return { description: JSON.parse(new TextDecoder().decode(plain)) as T, data: new Uint8Array(record.data) };
  }

  /** Every kept file's id and description (unsealed), without its bytes. */
  async list<T>(): Promise<{ id: string; description: T }[]> {
    const db = await this.open();
    const records = (await request(db.transaction(STORE).objectStore(STORE).getAll())) as OfflineRecord[];
    const key = await this.cryptoKey();
    const out: { id: string; description: T }[] = [];
    for (const r of records) {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: r.iv }, key, r.sealed);
      out.push({ id: r.id, description: JSON.parse(new TextDecoder().decode(plain)) as T });
    }
    return out;
  }

  async remove(id: string): Promise<void> {
    const db = await this.open();
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(id));
    const next = new Set(this.getSnapshot());
    next.delete(id);
    this.set(next);
  }

  private cryptoKey(): Promise<CryptoKey> {
    if (!this.key) return Promise.reject(new Error('No unlocked device'));
    return this.key;
  }

  private open(): Promise<IDBDatabase> {
    const name = this.name;
    if (!name) return Promise.reject(new Error('No unlocked device'));
    this.db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB unavailable'));
    });
    return this.db;
  }
}
