import { HearthApiError } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { FakeSession, textMessage, until } from './fakes.spec-helper';
import { MessageOutbox } from './outbox';

function setUp(): { session: FakeSession; outbox: MessageOutbox } {
  const session = new FakeSession();
  session.members.set('!room', ['@amal:hub', '@bea:hub']);
  const outbox = new MessageOutbox();
  outbox.attach(session);
  return { session, outbox };
}

describe('the message outbox', () => {
  it('shows a message as sending, then sent, until the stream delivers it back', async () => {
    const { session, outbox } = setUp();
    outbox.send('!room', 'hello');
    const sending = outbox.getSnapshot();
    expect(sending).toEqual([expect.objectContaining({ roomId: '!room', body: 'hello', state: 'sending' })]);

    const sent = await until(outbox, (list) => list[0]?.state === 'sent');
    expect(sent[0].eventId).toBe(`$${session.sent[0].txnId}`);
    expect(sending[0].state).toBe('sending'); // items are replaced, never changed in place

    session.receive('!room', textMessage('!room', sent[0].eventId!, 'hello', '@amal:hub'));
    expect(outbox.getSnapshot()).toEqual([]);
  });

  it('marks a refused message failed with the hub’s reason, and a lost one as a network failure', async () => {
    const { session, outbox } = setUp();
    session.failNextSend = new HearthApiError(403, { errcode: ErrorCode.Muted, error: 'muted' });
    outbox.send('!room', 'refused');
    await until(outbox, (list) => list[0]?.state === 'failed');
    expect(outbox.getSnapshot()[0].error).toBe(ErrorCode.Muted);

    session.failNextSend = new TypeError('fetch failed');
    outbox.send('!room', 'lost');
    await until(outbox, (list) => list[1]?.state === 'failed');
    expect(outbox.getSnapshot()[1].error).toBe('network');
  });

  it('resends the same ciphertext (the hub never stores it twice), unless the room’s members changed', async () => {
    const { session, outbox } = setUp();
    session.failNextSend = new TypeError('fetch failed');
    outbox.send('!room', 'again');
    const [failed] = await until(outbox, (list) => list[0]?.state === 'failed');

    outbox.resend(failed.id);
    expect(outbox.getSnapshot()[0]).toMatchObject({ state: 'sending', error: undefined });
    await until(outbox, (list) => list[0]?.state === 'sent');
    expect(session.sent).toHaveLength(1);
    const firstTxn = session.sent[0].txnId;
    expect(firstTxn).toBe('txn.1'); // prepared once

    session.failNextSend = new TypeError('fetch failed');
    outbox.send('!room', 'after a removal');
    const failedAgain = (await until(outbox, (list) => list[1]?.state === 'failed'))[1];
    session.members.set('!room', ['@amal:hub']); // someone removed had the key it was encrypted with
    outbox.resend(failedAgain.id);
    await until(outbox, (list) => list[1]?.state === 'sent');
    expect(session.sent.map((m) => m.txnId)).toEqual([firstTxn, 'txn.3']); // encrypted anew
  });

  it('forgets a discarded message; a resend of one that did not fail does nothing', async () => {
    const { session, outbox } = setUp();
    session.failNextSend = new TypeError('fetch failed');
    outbox.send('!room', 'never mind');
    const [failed] = await until(outbox, (list) => list[0]?.state === 'failed');
    outbox.discard(failed.id);
    expect(outbox.getSnapshot()).toEqual([]);

    outbox.send('!room', 'fine');
    const [sent] = await until(outbox, (list) => list[0]?.state === 'sent');
    const before = outbox.getSnapshot();
    outbox.resend(sent.id);
    expect(outbox.getSnapshot()).toBe(before);
  });
});
