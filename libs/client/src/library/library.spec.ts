import { RESOURCE_CONTENT_KEY, RESOURCE_REMOVED_MSGTYPE } from '@hearth/protocol';
import { fileContentOf } from '../media/content';
import type { TimelineItem } from '../timeline/types';
import { resourceOf } from './content';
import { currentResources } from './library';

const ID = '0b0e5c1e-3f0a-4d55-9a52-5b2f3c1d8e77';
const FILE = {
  msgtype: 'm.file',
  body: 'guide.pdf',
  file: {
    url: 'hearth://media/AAAAAAAAAAAAAAAAAAAAAA',
    key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: 'k', ext: true },
    iv: 'iv',
    hashes: { sha256: 'h' },
    v: 'v2',
  },
  info: { size: 10, mimetype: 'application/pdf' },
};
const META = { title: 'Guide', description: 'd', domain: 'resilience', language: 'en', tags: ['a'] };

let n = 0;
function item(sender: string, content: Record<string, unknown>, ts = ++n): TimelineItem {
  const file = fileContentOf(content);
  const resource = resourceOf(content);
  return {
    room_id: '!lib',
    event_id: `$e${ts}`,
    sender,
    sender_device: 'D',
    body: String(content.body),
    ts,
    shield: 'grey',
    shield_code: 'UnverifiedIdentity',
    shield_message: null,
    ...(file ? { file } : {}),
    ...(resource ? { resource } : {}),
  };
}
const version = (sender: string, fields: Record<string, unknown>, ts?: number): TimelineItem =>
  item(sender, { ...FILE, [RESOURCE_CONTENT_KEY]: { resource_id: ID, publisher: '@m:h', ...META, ...fields } }, ts);
const removal = (sender: string, v: number): TimelineItem =>
  item(sender, {
    msgtype: RESOURCE_REMOVED_MSGTYPE,
    body: '',
    [RESOURCE_CONTENT_KEY]: { resource_id: ID, removed: true, version: v },
  });

describe('resource messages', () => {
  it('reads versions and removal markers, and refuses what is malformed', () => {
    const v = resourceOf({
      ...FILE,
      [RESOURCE_CONTENT_KEY]: { resource_id: ID, publisher: '@m:h', version: 1, ...META },
    });
    expect(v).toEqual({ resource_id: ID, publisher: '@m:h', version: 1, ...META });
    const ok = { resource_id: ID, publisher: '@m:h', version: 1, ...META };
    const bad = (fields: Record<string, unknown>, base: Record<string, unknown> = FILE): void =>
      expect(resourceOf({ ...base, [RESOURCE_CONTENT_KEY]: { ...ok, ...fields } })).toBeNull();
    bad({}, { msgtype: 'm.text', body: 'x' }); // a version needs its file
    bad({ resource_id: 'not-a-uuid' });
    bad({ version: 0 });
    bad({ version: 1.5 });
    bad({ title: '   ' });
    bad({ title: 'x'.repeat(301) });
    bad({ domain: 'security' });
    bad({ language: 'english please' });
    bad({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) });
    bad({ tags: [''] });
    bad({ tags: 'a' });
    bad({ pinned: 'yes' });
    bad({ publisher: 'nobody' });
    bad({ origin: 'not an event id' });
    expect(
      resourceOf({
        msgtype: RESOURCE_REMOVED_MSGTYPE,
        body: '',
        [RESOURCE_CONTENT_KEY]: { resource_id: ID, removed: true, version: 3 },
      }),
    ).toEqual({ resource_id: ID, removed: true, version: 3 });
    expect(resourceOf({ msgtype: 'm.text', body: 'x' })).toBeNull();
  });
});

describe('the current resources', () => {
  const coordinators = ['@c:h'];

  it('keeps the highest version from the publisher or a coordinator, and ignores anyone else', () => {
    const items = [
      version('@m:h', { version: 1 }, 101),
      version('@p:h', { version: 5, title: 'Hijacked' }, 102), // a participant, not the publisher
      version('@p:h', { version: 6, title: 'Hijacked', publisher: '@p:h' }, 103), // claiming the id
      version('@c:h', { version: 2, pinned: true, origin: '$e101' }, 104),
    ];
    const [r] = currentResources(items, coordinators);
    expect(r).toMatchObject({ title: 'Guide', version: 2, pinned: true, publisher: '@m:h', origin: '$e101' });
    expect(r).toMatchObject({ event_id: '$e104', sender: '@c:h', published_ts: 101 });
    expect(r.events).toEqual(['$e101', '$e102', '$e103', '$e104']);
    // Without knowing the coordinator, their pin does not count.
    const unpinned = currentResources(items, [])[0];
    expect(unpinned).toMatchObject({ version: 1, origin: '$e101' });
    expect(unpinned.pinned).toBeUndefined();
  });

  it('takes a coordinator’s re-publication as the resource for someone who cannot read the original', () => {
    const [r] = currentResources([version('@c:h', { version: 3, origin: '$e0' })], coordinators);
    expect(r).toMatchObject({ publisher: '@m:h', version: 3, origin: '$e0', sender: '@c:h' });
    // Nobody else's word is taken for it.
    expect(currentResources([version('@p:h', { version: 3 })], coordinators)).toEqual([]);
  });

  it('hides a resource removed by its publisher or a coordinator, not by anyone else', () => {
    const base = [version('@m:h', { version: 1 })];
    expect(currentResources([...base, removal('@p:h', 2)], coordinators)).toHaveLength(1);
    expect(currentResources([...base, removal('@m:h', 2)], coordinators)).toEqual([]);
    expect(currentResources([...base, removal('@c:h', 2)], coordinators)).toEqual([]);
    // A removal at a lower version than the latest does not win.
    expect(currentResources([...base, removal('@m:h', 1), version('@m:h', { version: 2 })], coordinators)).toHaveLength(
      1,
    );
  });

  it('lists pinned resources first, then the most recently published', () => {
    const other = '7d4f5e8a-1b2c-4d3e-8f9a-0b1c2d3e4f5a';
    const items = [
      version('@m:h', { version: 1 }, 210),
      item(
        '@m:h',
        {
          ...FILE,
          [RESOURCE_CONTENT_KEY]: { resource_id: other, publisher: '@m:h', version: 1, ...META, title: 'Newer' },
        },
        220,
      ),
    ];
    expect(currentResources(items, coordinators).map((r) => r.title)).toEqual(['Newer', 'Guide']);
    items.push(version('@m:h', { version: 2, pinned: true }, 230));
    expect(currentResources(items, coordinators).map((r) => r.title)).toEqual(['Guide', 'Newer']);
  });
});
