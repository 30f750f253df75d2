import { ClientToServerEvents, ServerToClientEvents, SocketSendAck } from '@hearth/protocol';
import { io, Socket } from 'socket.io-client';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every wait here has a bound: a failing test says why and ends. */
const WAIT_MS = 10_000;

function bounded<T>(what: string, ms: number, start: (resolve: (v: T) => void, reject: (e: Error) => void) => void) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    start(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function open(url: string, token: string): HubSocket {
  return io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
}

/** A connected socket of the device whose token this is (frames are acknowledged as they come). */
export function connectSocket(url: string, token: string): Promise<HubSocket> {
  const s = open(url, token);
  s.on('sync', (_frame, ack) => ack());
  return bounded('the socket to connect', WAIT_MS, (resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => {
      s.close();
      reject(new Error(`connect_error ${e.message}`));
    });
  });
}

/** The errcode a refused connection is given. */
export function refusal(url: string, token: string): Promise<string> {
  const s = open(url, token);
  return bounded('the socket to be refused', WAIT_MS, (resolve, reject) => {
    s.once('connect', () => {
      s.close();
      reject(new Error('the socket was accepted'));
    });
    s.once('connect_error', (e) => {
      s.close();
      resolve(e.message);
    });
  });
}

/** Resolves when the server closes the socket. */
export function closedByServer(s: HubSocket, ms = WAIT_MS): Promise<void> {
  if (s.disconnected) return Promise.resolve();
  return bounded('the server to close the socket', ms, (resolve) => s.once('disconnect', () => resolve()));
}

/** Sends a room event over the socket and returns its acknowledgement. */
export function socketSend(
  s: HubSocket,
  payload: { room_id: string; type: string; txn_id: string; content: unknown },
): Promise<SocketSendAck> {
  return s.timeout(WAIT_MS).emitWithAck('send', payload as Parameters<ClientToServerEvents['send']>[0]);
}
