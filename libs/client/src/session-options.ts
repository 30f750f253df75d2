// How a SecureSession is opened: its sync transport, where it resumes, where its keys live.

export interface SessionOptions {
  /** `socket` (default): socket.io push with acks; `http`: long polling `GET /sync`. */
  transport?: 'socket' | 'http';
  /** A position saved from an earlier run of this device (`session.since`). */
  since?: string | null;
  /** Called with each new position, to persist it. */
  onSince?: (since: string) => void;
  /**
   * A persistent crypto store (IndexedDB, browsers only), encrypted at rest with this 32-byte key.
   * Without it the device's keys live in memory and die with the process.
   */
  store?: { name: string; key: Uint8Array };
}
