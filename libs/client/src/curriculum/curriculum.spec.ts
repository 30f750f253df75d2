import type { ModuleInfo } from '@hearth/protocol';
import type { TimelineItem } from '../timeline/types';
import { curriculumMessageOf, curriculumTexts, submissionsOf } from './content';
import { thisWeek, todayIn } from './week';

const M = '0b0e5c1e-3f0a-4d55-9a52-5b2f3c1d8e77';
const A = '1c1e5c1e-3f0a-4d55-9a52-5b2f3c1d8e77';
const S = '2d2e5c1e-3f0a-4d55-9a52-5b2f3c1d8e77';

let n = 0;
function item(sender: string, content: Record<string, unknown>, extra: Partial<TimelineItem> = {}): TimelineItem {
  const curriculum = curriculumMessageOf(content);
  return {
    room_id: '!r',
    event_id: `$e${++n}`,
    sender,
    sender_device: 'D',
    body: String(content.body),
    ts: n,
    shield: 'grey',
    shield_code: 'UnverifiedIdentity',
    shield_message: null,
    ...(curriculum ? { curriculum } : {}),
    ...extra,
  };
}
const words = (version: number, title: string): Record<string, unknown> => ({
  msgtype: 'org.hearth.curriculum.content',
  body: '',
  item: 'module',
  item_id: M,
  version,
  title,
  text: 't',
});

describe('curriculum messages', () => {
  it('reads only well-formed ones', () => {
    expect(curriculumMessageOf(words(1, 'Title'))).toEqual(expect.objectContaining({ item_id: M, title: 'Title' }));
    expect(curriculumMessageOf({ ...words(1, 'x'), item_id: 'nope' })).toBeNull();
    expect(curriculumMessageOf({ ...words(0, 'x') })).toBeNull();
    expect(curriculumMessageOf({ ...words(1, 'x'), title: 'x'.repeat(201) })).toBeNull();
    expect(curriculumMessageOf({ ...words(1, 'x'), item: 'lesson' })).toBeNull();
    expect(curriculumMessageOf({ msgtype: 'org.hearth.curriculum.submission', body: 'a', activity_id: A })).toBeNull();
    expect(curriculumMessageOf({ msgtype: 'm.text', body: 'hello' })).toBeNull();
  });

  it('takes the highest version from an author, ignoring everyone else and forged senders', () => {
    const texts = curriculumTexts(
      [
        item('@coord:h', words(1, 'First')),
        item('@mentor:h', words(2, 'Second')),
        item('@part:h', words(9, 'From a participant')),
        item('@coord:h', words(5, 'Forged'), { shield_code: 'MismatchedSender' }),
        item('@coord:h', words(1, 'Older, later')),
      ],
      ['@coord:h', '@mentor:h'],
    );
    expect(texts.get(M)).toEqual(expect.objectContaining({ title: 'Second', version: 2, sender: '@mentor:h' }));
  });

  it('threads feedback under its submission; its own author’s reply is not feedback', () => {
    const sub = { msgtype: 'org.hearth.curriculum.submission', body: 'my answer', submission_id: S, activity_id: A };
    const fb = { msgtype: 'org.hearth.curriculum.feedback', body: 'well done', submission_id: S, activity_id: A };
    const list = submissionsOf([
      item('@mentor:h', fb),
      item('@part:h', sub),
      item('@part:h', fb),
      item('@mentor:h', fb),
    ]);
    expect(list).toEqual([
      expect.objectContaining({ submission_id: S, body: 'my answer', sender: '@part:h', feedback: expect.any(Array) }),
    ]);
    // Both of the mentor's (one came before the submission in the room's order, and still counts).
    expect(list[0].feedback.map((f) => f.sender)).toEqual(['@mentor:h', '@mentor:h']);
  });
});

describe('this week', () => {
  const activity = (id: string, due_on: string | null) => ({
    activity_id: id,
    module_id: M,
    kind: 'reading' as const,
    position: 0,
    due_on,
    estimated_minutes: 10,
  });
  const module = (status: 'draft' | 'published', ids: [string, string | null][]): ModuleInfo => ({
    module_id: M,
    cohort_id: 'c',
    domain: 'advocacy',
    position: 0,
    status,
    activities: ids.map(([id, due]) => activity(id, due)),
  });

  it('sorts what is overdue, due in the next 7 days and started; done and drafts drop out', () => {
    const week = thisWeek(
      [
        module('published', [
          ['late', '2027-01-01'],
          ['today', '2027-02-10'],
          ['in7', '2027-02-17'],
          ['in8', '2027-02-18'],
          ['none', null],
          ['done', '2027-02-11'],
        ]),
        module('draft', [['draft', '2027-02-11']]),
      ],
      [
        { activity_id: 'none', status: 'started', minutes: null, submitted: false, started_on: null, done_on: null },
        { activity_id: 'in8', status: 'started', minutes: null, submitted: false, started_on: null, done_on: null },
        { activity_id: 'done', status: 'done', minutes: 5, submitted: false, started_on: null, done_on: '2027-02-09' },
      ],
      '2027-02-10',
    );
    const ids = (list: { activity: { activity_id: string } }[]): string[] => list.map((i) => i.activity.activity_id);
    expect(ids(week.overdue)).toEqual(['late']);
    expect(ids(week.due)).toEqual(['today', 'in7']);
    expect(ids(week.started)).toEqual(['in8', 'none']);
    expect(week.overdue[0].days).toBe(-40);
  });

  it('takes today in the cohort’s zone', () => {
    // 23:30 UTC on 9 February is already the 10th in Berlin, still the 9th in New York.
    const at = Date.parse('2027-02-09T23:30:00Z');
    expect(todayIn('Europe/Berlin', at)).toBe('2027-02-10');
    expect(todayIn('America/New_York', at)).toBe('2027-02-09');
  });
});
