import type * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';
import { openEvent } from '../crypto/decryption';
import type { HearthClient } from '../http/client';
import type { TimelineItem } from './types';

/**
 * Every message of a room the account may read, oldest first, decrypted on this device, one page
 * at a time: for an export the person keeps (a cohort's end of life). Nothing goes back to the
 * hub, and nothing is added to the session's timelines, so memory holds one page at a time.
 */
export async function* roomHistory(
  http: HearthClient,
  machine: Crypto.OlmMachine,
  roomId: string,
  pageSize = 100,
): AsyncGenerator<TimelineItem[]> {
  let from: string | undefined = '0';
  while (from !== undefined) {
    const page = await http.messages(roomId, { from, dir: 'f', limit: pageSize });
    const items: TimelineItem[] = [];
    for (const ev of page.chunk) {
      if (ev.type === 'm.room.encrypted') items.push(await openEvent(machine, roomId, ev));
    }
    if (items.length > 0) yield items;
    from = page.end;
  }
}
