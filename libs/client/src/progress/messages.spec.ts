import type { TimelineItem } from '../timeline/types';
import { outcomeTexts, progressMessageOf, republication } from './messages';

const markers = { realistic: 'r', ambitious: 'a', very_ambitious: 'v' };

function item(ts: number, content: Record<string, unknown>, sender = '@p:h'): TimelineItem {
  const progress = progressMessageOf(content);
  return {
    room_id: '!p',
    event_id: `$${ts}`,
    sender,
    sender_device: 'D',
    body: String(content.body),
    ts,
    shield: 'grey',
    shield_code: 'UnverifiedIdentity',
    shield_message: null,
    ...(progress ? { progress } : {}),
  };
}

describe('progress messages', () => {
  it('reads well-formed outcomes and evidence', () => {
    expect(progressMessageOf({ msgtype: 'org.hearth.outcome', body: 'b', outcome_id: 'o', markers, extra: 1 })).toEqual(
      {
        msgtype: 'org.hearth.outcome',
        body: 'b',
        outcome_id: 'o',
        markers,
      },
    );
    expect(
      progressMessageOf({
        msgtype: 'org.hearth.evidence',
        body: 'e',
        outcome_id: 'o',
        level: 'ambitious',
        original_sender: '@m:h',
        original_ts: 5,
      }),
    ).toEqual({
      msgtype: 'org.hearth.evidence',
      body: 'e',
      outcome_id: 'o',
      level: 'ambitious',
      original_sender: '@m:h',
      original_ts: 5,
    });
  });

  it('refuses malformed ones', () => {
    const outcome = { msgtype: 'org.hearth.outcome', body: 'b', outcome_id: 'o', markers };
    const evidence = { msgtype: 'org.hearth.evidence', body: 'e', outcome_id: 'o', level: 'realistic' };
    for (const bad of [
      { ...outcome, markers: { realistic: 'r', ambitious: 'a' } },
      { ...outcome, markers: null },
      { ...outcome, body: 'x'.repeat(20_001) },
      { ...outcome, outcome_id: 'o'.repeat(101) },
      { ...evidence, level: 'heroic' },
      { ...evidence, body: 7 },
      { ...outcome, msgtype: 'm.text' },
    ]) {
      expect(progressMessageOf(bad)).toBeNull();
    }
    // Half a re-post's origin is no origin.
    expect(progressMessageOf({ ...evidence, original_sender: '@m:h' })).toEqual(evidence);
  });

  it('gathers the latest texts and each piece of evidence once, with its original author and date', () => {
    const texts = outcomeTexts([
      item(3, { msgtype: 'org.hearth.outcome', body: 'newer', outcome_id: 'o', markers }),
      item(1, { msgtype: 'org.hearth.outcome', body: 'older', outcome_id: 'o', markers }),
      item(2, { msgtype: 'org.hearth.evidence', body: 'done it', outcome_id: 'o', level: 'realistic' }, '@m:h'),
      item(
        9,
        {
          msgtype: 'org.hearth.evidence',
          body: 'done it',
          outcome_id: 'o',
          level: 'realistic',
          original_sender: '@m:h',
          original_ts: 2,
        },
        '@coord:h',
      ),
      item(4, { msgtype: 'm.text', body: 'chat' }),
    ]);
    expect([...texts.values()]).toEqual([
      {
        outcome_id: 'o',
        outcome: 'newer',
        markers,
        evidence: [{ level: 'realistic', body: 'done it', sender: '@m:h', ts: 2, republished: false }],
      },
    ]);
    expect(republication(texts)).toEqual([
      { msgtype: 'org.hearth.outcome', body: 'newer', outcome_id: 'o', markers },
      {
        msgtype: 'org.hearth.evidence',
        body: 'done it',
        outcome_id: 'o',
        level: 'realistic',
        original_sender: '@m:h',
        original_ts: 2,
      },
    ]);
  });

  it('posts evidence again even where no outcome text was read', () => {
    const texts = outcomeTexts([
      item(1, { msgtype: 'org.hearth.evidence', body: 'e', outcome_id: 'o', level: 'very_ambitious' }),
    ]);
    expect(republication(texts)).toEqual([
      expect.objectContaining({ msgtype: 'org.hearth.evidence', original_sender: '@p:h', original_ts: 1 }),
    ]);
  });
});
