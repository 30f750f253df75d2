import { SecureSession } from '@hearth/client';
import { castCohort } from './support/cohorts';
import { marker, openSession } from './support/e2ee';
import { RestartableHub, startRestartableHub } from './support/hub';

jest.setTimeout(60_000);

/**
 * Delivery across a server restart: what was acknowledged was committed, and the `since`
 * position makes catch-up exact, whichever side went away.
 */
describe('a server restart between send and delivery', () => {
  let r: RestartableHub;
  beforeAll(async () => {
    r = await startRestartableHub();
  });
  afterAll(() => r.close());

  it('loses nothing: an offline device receives every acknowledged message after the restart', async () => {
    const cast = await castCohort(r, 'rs');
    const room = cast.cohort.rooms.cohort;
    const [sender, reader] = await Promise.all([openSession(cast.participant), openSession(cast.mentor)]);
    let readerBack: SecureSession | null = null;
    try {
      const warm = await sender.sendText(room, marker('warm-up'));
      await reader.waitForMessage((m) => m.event_id === warm);
      reader.disconnect(); // offline before the messages are sent
      const texts = Array.from({ length: 5 }, (_, i) => marker(`before-restart-${i}`));
      const ids: string[] = [];
      for (const text of texts) ids.push(await sender.sendText(room, text)); // each acknowledged = committed

      await r.restart();

      // The reader's device reconnects (same device, same keys) from its saved position.
      reader.reconnect();
      readerBack = reader;
      await reader.waitForMessage((m) => m.event_id === ids[4], 30_000);
      const got = reader.messages(room).filter((m) => ids.includes(m.event_id));
      expect(got.map((m) => ('body' in m ? m.body : 'reason' in m ? m.reason : 'redacted'))).toEqual(texts);

      // And the sender's socket came back by itself: sending works again.
      const after = await sender.sendText(room, marker('after-restart'));
      await reader.waitForMessage((m) => m.event_id === after, 30_000);
    } finally {
      await sender.close();
      await (readerBack ?? reader).close();
    }
  });
});
