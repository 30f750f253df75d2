import { Inject, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { inputProblem } from '../common/http/well-formed.pipe';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { ClientToServerEvents, ErrorCode, ServerToClientEvents, SocketSendAck } from '@hearth/protocol';
import type { Server, Socket } from 'socket.io';
import { DeviceSessionsService } from '../accounts/device-sessions.service';
import { AuthContext } from '../common/auth/auth-context';
import { toHearthException } from '../common/errors/http-exception.filter';
import { MessagingService } from '../messaging/messaging.service';
import { SendBatcher } from '../messaging/send-batcher';
import { Lifecycle } from '../health/lifecycle';
import { REDIS, RedisClient } from '../redis/redis';
import { Notifier, RelayKind } from '../stream/notifier';
import { parseSince, SyncService } from '../sync/sync.service';
import { DeviceStream } from './device-stream';

interface SocketData {
  auth: AuthContext;
  since: number | null;
  stream?: DeviceStream;
}

type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const SEND_FIELDS = new Set(['room_id', 'type', 'txn_id', 'content', 'media']);

/**
 * socket.io: one connection per device. The token is checked at the handshake (a refused
 * connection gets `connect_error` with the errcode); a logout, device removal or panic closes
 * the connection at once. Frames carry the same delta as GET /sync.
 */
@WebSocketGateway({
  path: '/socket.io',
  transports: ['websocket'],
  // Frames from clients are small (a message ≤ 64 KiB of content).
  maxHttpBufferSize: 128 * 1024,
  serveClient: false,
})
export class RealtimeGateway
  implements
    OnGatewayInit<HubServer>,
    OnGatewayConnection<HubSocket>,
    OnGatewayDisconnect<HubSocket>,
    BeforeApplicationShutdown
{
  private readonly logger = new Logger('Realtime');
  private server: HubServer | null = null;
  private readonly sockets = new Set<HubSocket>();
  private recheckTimer: NodeJS.Timeout | null = null;
  private rechecking = false;

  constructor(
    private readonly sessions: DeviceSessionsService,
    private readonly sync: SyncService,
    private readonly notifier: Notifier,
    private readonly messaging: MessagingService,
    private readonly lifecycle: Lifecycle,
    private readonly batcher: SendBatcher,
    @Inject(REDIS) private readonly redis: RedisClient | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  afterInit(server: HubServer): void {
    this.server = server;
    if (this.redis) {
      // Wake-ups cross nodes through the adapter's Redis stream (it resumes after a blip; a
      // wake-up lost anyway only delays a frame: positions make catch-up exact).
      this.notifier.setRelay((kind, payload) => server.serverSideEmit('hearth:wake', kind, payload));
      server.on('hearth:wake', (kind: RelayKind, payload: unknown) => this.notifier.receive(kind, payload));
    }
    server.use((socket, next) => {
      if (this.lifecycle.draining) return next(new Error(ErrorCode.Unavailable));
      const { token, since } = (socket.handshake.auth ?? {}) as { token?: unknown; since?: unknown };
      if (typeof token !== 'string' || token.length > 128) return next(new Error(ErrorCode.Unauthorized));
      if (since !== undefined && typeof since !== 'string') return next(new Error(ErrorCode.InvalidParam));
      this.sessions.authenticate(token).then(
        (auth) => {
          if (!auth) return next(new Error(ErrorCode.Unauthorized));
          if (auth.secondFactorSetupRequired) return next(new Error(ErrorCode.SecondFactorSetupRequired));
          try {
            socket.data.since = parseSince(since);
          } catch {
            return next(new Error(ErrorCode.InvalidParam));
          }
          socket.data.auth = auth;
          next();
        },
        () => next(new Error(ErrorCode.Unknown)),
      );
    });
    this.recheckTimer = setInterval(() => void this.recheck(), this.config.revocationCheckMs);
    this.recheckTimer.unref();
  }

  /**
   * A logout, device removal or panic closes its sockets at once through the notifier, on every
   * node. Should that broadcast be missed (a node cut off from Redis at that moment), this check
   * finds the sockets of devices that no longer exist, or whose session has ended, within one
   * interval; sends are refused meanwhile anyway (the batcher checks the device).
   */
  private async recheck(): Promise<void> {
    if (this.rechecking || this.sockets.size === 0) return;
    this.rechecking = true;
    try {
      const devices = [...this.sockets].map((s) => ({
        userUuid: s.data.auth.userUuid,
        deviceId: s.data.auth.deviceId,
      }));
      const live = await this.sessions.stillLive(devices);
      for (const socket of this.sockets) {
        const { userUuid, deviceId } = socket.data.auth;
        if (live.has(`${userUuid}/${deviceId}`)) continue;
        socket.data.stream?.stop();
        socket.disconnect(true);
      }
    } catch (err) {
      this.logger.warn(`revocation check failed: ${err instanceof Error ? err.message : 'unknown'}`);
    } finally {
      this.rechecking = false;
    }
  }

  handleConnection(socket: HubSocket): void {
    this.sockets.add(socket);
    const { auth, since } = socket.data;
    const stream = new DeviceStream(auth, since, this.sync, this.notifier, {
      send: (frame, acked) => {
        socket.emit('sync', frame, () => acked());
      },
      close: () => socket.disconnect(true),
    });
    socket.data.stream = stream;
    const stopNotifications = this.notifier.onNotification(auth.userUuid, (n) => socket.emit('notification', n));
    socket.once('disconnect', stopNotifications);
    socket.on('send', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (answer: SocketSendAck) => void;
      this.onSend(auth, payload).then(reply, (err: unknown) => reply(toHearthException(err).toBody()));
    });
    stream.start().catch((err: unknown) => {
      this.logger.warn(`initial sync failed: ${err instanceof Error ? err.message : 'unknown'}`);
      socket.disconnect(true);
    });
  }

  handleDisconnect(socket: HubSocket): void {
    this.sockets.delete(socket);
    socket.data.stream?.stop();
  }

  /** Shutdown: in-flight sends are committed and acknowledged first, then the sockets close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    await this.batcher.idle();
    this.server?.disconnectSockets(true);
  }

  private onSend(auth: AuthContext, payload: unknown): Promise<SocketSendAck> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return Promise.resolve({ errcode: ErrorCode.InvalidParam, error: 'send takes {room_id, type, txn_id, content}' });
    }
    const problem = inputProblem(payload);
    if (problem) return Promise.resolve({ errcode: ErrorCode.InvalidParam, error: problem });
    const p = payload as Record<string, unknown>;
    const unknownField = Object.keys(p).find((k) => !SEND_FIELDS.has(k));
    if (unknownField)
      return Promise.resolve({ errcode: ErrorCode.InvalidParam, error: `property ${unknownField} should not exist` });
    if (typeof p.room_id !== 'string' || typeof p.type !== 'string') {
      return Promise.resolve({ errcode: ErrorCode.InvalidParam, error: 'room_id and type must be strings' });
    }
    return this.messaging.send(auth, p.room_id, p.type, p.txn_id, p.content, p.media);
  }
}
