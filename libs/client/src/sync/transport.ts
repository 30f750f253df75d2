import {
  ClientToServerEvents,
  ENCRYPTED_EVENT_TYPE,
  ErrorCode,
  HearthNotification,
  isErrorBody,
  MegolmContent,
  ServerToClientEvents,
  SocketSendAck,
  SyncResponse,
} from '@hearth/protocol';
import { io, Socket } from 'socket.io-client';
import type { HearthClient } from '../http/client';
import { HearthApiError } from '../http/core';
import { Listener, Listeners } from '../listeners';

/** `signed_out`: the hub refused this device's token (signed out elsewhere, or panic). */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed_out';

export interface TransportOptions {
  /** `socket` (default): socket.io push with acks; `http`: long polling `GET /sync`. */
  transport?: 'socket' | 'http';
  /** The last position processed: where a new connection or the next poll resumes. */
  since: () => string | null;
  /** Each sync frame, to be processed; `ack` once it is (the hub then deletes its to-device messages). */
  onFrame: (frame: SyncResponse, ack: () => void) => void;
}

/**
 * The sync stream's transport: a socket.io connection that the hub pushes frames on (and that
 * messages are sent over), or long polling over HTTP. It reconnects on its own until closed.
 */
export class SyncTransport {
  private current: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private polling = false;
  private closed = false;
  private reconnectDelay = 0;
  private connectionState: ConnectionState = 'connecting';
  private readonly connectionListeners = new Listeners<ConnectionState>();
  private readonly notificationListeners = new Listeners<HearthNotification>();

  constructor(
    private readonly http: HearthClient,
    private readonly options: TransportOptions,
  ) {}

  /** The socket while there is one (connected or reconnecting). */
  get socket(): Socket<ServerToClientEvents, ClientToServerEvents> | null {
    return this.current;
  }

  get connection(): ConnectionState {
    return this.connectionState;
  }

  /** The socket's state: `offline` while it reconnects on its own. */
  onConnection(listener: Listener<ConnectionState>): () => void {
    return this.connectionListeners.add(listener);
  }

  /** Notifications pushed while connected (a session booked, a reminder). */
  onNotification(listener: Listener<HearthNotification>): () => void {
    return this.notificationListeners.add(listener);
  }

  /** Starts receiving: polling at once, or the socket once connected (rejects when it is refused). */
  async start(): Promise<void> {
    if (this.options.transport === 'http') {
      this.pollLoop();
      return;
    }
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.http.baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      // A function: every reconnection resumes from the latest processed position.
      auth: (cb) => {
        const since = this.options.since();
        cb({ token: this.http.session!.accessToken, ...(since ? { since } : {}) });
      },
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
    });
    this.current = socket;
    socket.on('connect', () => this.setConnection('online'));
    socket.on('sync', (frame, ack) => this.options.onFrame(frame, ack));
    socket.on('notification', (n) => this.notificationListeners.emit(n));
    await new Promise<void>((resolve, reject) => {
      const connected = (): void => {
        socket.off('connect_error', refused);
        resolve();
      };
      const refused = (err: Error): void => {
        socket.off('connect', connected);
        // Not left reconnecting on its own behind a session nobody holds.
        socket.close();
        this.current = null;
        reject(new Error(err.message));
      };
      socket.once('connect', connected);
      socket.once('connect_error', refused);
    });
    socket.on('disconnect', (reason) => {
      this.setConnection('offline');
      // socket.io stops reconnecting when the server closed the socket (a node draining or
      // restarting): this session tries again, with backoff, until it is closed.
      if (reason === 'io server disconnect') this.reconnectLater(socket);
    });
    socket.on('connect_error', (err) => {
      if (err.message === (ErrorCode.Unauthorized as string)) {
        this.setConnection('signed_out');
        socket.close();
        return;
      }
      this.setConnection('offline');
      if (!socket.active) this.reconnectLater(socket); // refused (e.g. a draining node)
    });
  }

  /** Sends already encrypted content with a chosen txn id (retries reuse it and get the same event id). */
  async send(roomId: string, content: MegolmContent, txnId: string, media: string[] = []): Promise<string> {
    const socket = this.current;
    if (socket?.connected) {
      // socket.io types the ack of a timed emit as `any`; the event map says what it is.
      const answer = (await socket.timeout(10_000).emitWithAck('send', {
        room_id: roomId,
        type: ENCRYPTED_EVENT_TYPE,
        txn_id: txnId,
        content,
        ...(media.length > 0 ? { media } : {}),
      })) as SocketSendAck;
      if (isErrorBody(answer)) throw new HearthApiError(0, answer);
      return answer.event_id;
    }
    const files = media.length > 0 ? `?media=${media.map(encodeURIComponent).join(',')}` : '';
    const res = await this.http.request<{ event_id: string }>(
      'PUT',
      `/rooms/${encodeURIComponent(roomId)}/send/${ENCRYPTED_EVENT_TYPE}/${encodeURIComponent(txnId)}${files}`,
      content,
    );
    return res.event_id;
  }

  /** A frame could not be processed: reconnecting resumes from the last processed position. */
  resume(): void {
    this.current?.disconnect().connect();
  }

  /** Disconnects the socket, which stays ready to reconnect (tests of reconnection). */
  disconnect(): void {
    this.current?.disconnect();
  }

  reconnect(): void {
    this.current?.connect();
  }

  /** Stops for good: no reconnection, no further poll. */
  close(): void {
    this.closed = true;
    this.current?.disconnect();
    this.current = null;
  }

  private reconnectLater(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    this.reconnectDelay = Math.min(5_000, Math.max(250, this.reconnectDelay * 2));
    const delay = this.reconnectDelay * (0.5 + Math.random());
    setTimeout(() => {
      if (!this.closed && this.current === socket && !socket.connected) socket.connect();
    }, delay);
    socket.once('connect', () => (this.reconnectDelay = 0));
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connectionState) return;
    this.connectionState = state;
    this.connectionListeners.emit(state);
  }

  private pollLoop(): void {
    if (this.polling) return;
    this.polling = true;
    const loop = async (): Promise<void> => {
      while (!this.closed) {
        try {
          const since = this.options.since();
          const q = new URLSearchParams({ timeout: '25000', ...(since ? { since } : {}) });
          const frame = await this.http.request<SyncResponse>('GET', `/sync?${q.toString()}`, undefined, true, 40_000);
          await new Promise<void>((resolve) => this.options.onFrame(frame, resolve));
        } catch (err) {
          if (err instanceof HearthApiError && err.errcode === ErrorCode.Unauthorized) return;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    void loop();
  }
}
