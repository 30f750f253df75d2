import { followupHelpOf } from './messages';

const good = {
  msgtype: 'org.hearth.followup.help',
  body: 'summary',
  checkin_id: 'c1',
  event_id: 'e1',
  title: 'Threat modelling',
  used: 'partly',
  obstacles: 'no time',
  help: 'a session on passwords',
};

describe('a follow-up help request read from a decrypted message', () => {
  it('takes a well-formed one', () => {
    expect(followupHelpOf(good)).toEqual(good);
  });

  it('ignores other messages and malformed ones', () => {
    expect(followupHelpOf({ ...good, msgtype: 'm.text' })).toBeNull();
    expect(followupHelpOf({ ...good, used: 'maybe' })).toBeNull();
    expect(followupHelpOf({ ...good, obstacles: 5 })).toBeNull();
    expect(followupHelpOf({ ...good, help: 'x'.repeat(4001) })).toBeNull();
    const { checkin_id: _drop, ...noId } = good;
    expect(followupHelpOf(noId)).toBeNull();
  });
});
