import { HearthClient } from '@hearth/client';
import { COHORT_PHASES } from '@hearth/protocol';
import { castCohort, CohortCast, joinAs } from './support/cohorts';
import { raw, startTestHub, TestHub } from './support/hub';

/**
 * Every endpoint of the cohort spaces × every kind of caller → the expected status.
 * Outsider = coordinator of another cohort: someone outside a cohort gets 404 for it, and
 * coordinators of one cohort have no power in another.
 */
const ACTORS = ['admin', 'coordinator', 'mentor', 'participant', 'outsider', 'anonymous'] as const;
type ActorName = (typeof ACTORS)[number];

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface Row {
  name: string;
  /** Builds a fresh request for one actor (fresh targets, so successes don't affect other rows). */
  request: (actor: ActorName) => Request | Promise<Request>;
  expect: Record<ActorName, number>;
  /** Undoes what a success changed, when later rows depend on it. */
  after?: (actor: ActorName, status: number) => Promise<void>;
}

const e = (
  admin: number,
  coordinator: number,
  mentor: number,
  participant: number,
  outsider: number,
  anonymous = 401,
) => ({
  admin,
  coordinator,
  mentor,
  participant,
  outsider,
  anonymous,
});

describe('authorization matrix of cohort spaces', () => {
  let t: TestHub;
  let cast: CohortCast;
  let clients: Record<Exclude<ActorName, 'anonymous'>, HearthClient>;
  let org: string;
  let group: string;
  let n = 0;
  const fresh = (): string => `authz-${++n}`;

  beforeAll(async () => {
    t = await startTestHub();
    cast = await castCohort(t, 'authz', 'organizations');
    clients = {
      admin: cast.admin,
      coordinator: cast.coordinator,
      mentor: cast.mentor,
      participant: cast.participant,
      outsider: cast.outsider,
    };
    org = (await cast.coordinator.organizations(cast.cohort.cohort_id)).organizations[0].organization_id;
    group = (
      await cast.coordinator.createRoom(cast.cohort.cohort_id, {
        name: 'Group',
        members: [cast.coordinator.session!.userId, cast.participant.session!.userId],
      })
    ).room_id;
  });
  afterAll(() => t.close());

  const C = (): string => `/cohorts/${cast.cohort.cohort_id}`;
  const R = (): typeof cast.cohort.rooms => cast.cohort.rooms;
  const enc = encodeURIComponent;
  const newParticipant = async (): Promise<HearthClient> =>
    joinAs(t, cast.coordinator, cast.cohort.cohort_id, 'participant', fresh(), org);

  const rows: Row[] = [
    {
      name: 'POST /cohorts',
      request: () => ({
        method: 'POST',
        path: '/cohorts',
        body: {
          name: fresh(),
          kind: 'individuals',
          starts_on: '2027-01-01',
          ends_on: '2027-12-31',
          timezone: 'Asia/Kathmandu',
        },
      }),
      expect: e(201, 403, 403, 403, 403),
    },
    {
      name: 'GET /cohorts',
      request: () => ({ method: 'GET', path: '/cohorts' }),
      expect: e(200, 200, 200, 200, 200),
    },
    {
      name: 'GET /cohorts/{id}',
      request: () => ({ method: 'GET', path: C() }),
      expect: e(200, 200, 200, 200, 404),
    },
    {
      name: 'GET /cohorts/{unknown id}',
      request: () => ({ method: 'GET', path: '/cohorts/00000000-0000-4000-8000-000000000000' }),
      expect: e(404, 404, 404, 404, 404),
    },
    {
      name: 'GET /cohorts/{malformed id}',
      request: () => ({ method: 'GET', path: '/cohorts/not-a-uuid' }),
      expect: e(404, 404, 404, 404, 404),
    },
    {
      name: 'PATCH /cohorts/{id} (next phase)',
      request: async () => {
        const { phase } = await cast.coordinator.cohort(cast.cohort.cohort_id);
        return { method: 'PATCH', path: C(), body: { phase: COHORT_PHASES[COHORT_PHASES.indexOf(phase) + 1] } };
      },
      expect: e(403, 200, 403, 403, 404),
    },
    {
      name: 'POST /cohorts/{id}/invites (participant)',
      request: () => ({
        method: 'POST',
        path: `${C()}/invites`,
        body: { role: 'participant', organization_id: org },
      }),
      expect: e(403, 201, 403, 403, 404),
    },
    {
      name: 'POST /cohorts/{id}/invites (coordinator)',
      request: () => ({ method: 'POST', path: `${C()}/invites`, body: { role: 'coordinator' } }),
      expect: e(201, 201, 403, 403, 404),
    },
    {
      name: 'GET /cohorts/{id}/invites',
      request: () => ({ method: 'GET', path: `${C()}/invites` }),
      expect: e(200, 200, 403, 403, 404),
    },
    {
      name: 'DELETE /cohorts/{id}/invites/{inviteId}',
      request: async () => {
        const { invite_id } = await cast.coordinator.createCohortInvite(cast.cohort.cohort_id, { role: 'mentor' });
        return { method: 'DELETE', path: `${C()}/invites/${invite_id}`, body: {} };
      },
      expect: e(204, 204, 403, 403, 404),
    },
    {
      name: 'GET /cohorts/{id}/members',
      request: () => ({ method: 'GET', path: `${C()}/members` }),
      expect: e(403, 200, 200, 200, 404),
    },
    {
      name: 'PATCH /cohorts/{id}/members/{userId}',
      request: async () => {
        const target = await newParticipant();
        return {
          method: 'PATCH',
          path: `${C()}/members/${enc(target.session!.userId)}`,
          body: { muted_until: '2030-01-01T00:00:00Z' },
        };
      },
      expect: e(403, 200, 403, 403, 404),
    },
    {
      name: 'DELETE /cohorts/{id}/members/{userId} (someone else)',
      request: async () => {
        const target = await newParticipant();
        return { method: 'DELETE', path: `${C()}/members/${enc(target.session!.userId)}`, body: {} };
      },
      expect: e(403, 204, 403, 403, 404),
    },
    {
      name: 'POST /cohorts/{id}/organizations',
      request: () => ({ method: 'POST', path: `${C()}/organizations`, body: { name: fresh() } }),
      expect: e(403, 201, 403, 403, 404),
    },
    {
      name: 'GET /cohorts/{id}/organizations',
      request: () => ({ method: 'GET', path: `${C()}/organizations` }),
      expect: e(403, 200, 200, 200, 404),
    },
    {
      name: 'GET /cohorts/{id}/audit',
      request: () => ({ method: 'GET', path: `${C()}/audit` }),
      expect: e(403, 200, 200, 200, 404),
    },
    {
      name: 'POST /cohorts/{id}/rooms',
      request: () => ({ method: 'POST', path: `${C()}/rooms`, body: { name: fresh(), members: [] } }),
      expect: e(403, 201, 403, 403, 404),
    },
    {
      name: 'GET /cohorts/{id}/library/settings',
      request: () => ({ method: 'GET', path: `${C()}/library/settings` }),
      expect: e(403, 200, 200, 200, 404),
    },
    {
      name: 'PUT /cohorts/{id}/library/settings',
      request: () => ({ method: 'PUT', path: `${C()}/library/settings`, body: { participants_publish: false } }),
      expect: e(403, 200, 403, 403, 404),
    },
    {
      name: 'GET /rooms',
      request: () => ({ method: 'GET', path: '/rooms' }),
      expect: e(200, 200, 200, 200, 200),
    },
    {
      name: 'GET /rooms/{cohort room}/members',
      request: () => ({ method: 'GET', path: `/rooms/${enc(R().cohort)}/members` }),
      expect: e(404, 200, 200, 200, 404),
    },
    {
      name: 'GET /rooms/{coordinators room}/members',
      request: () => ({ method: 'GET', path: `/rooms/${enc(R().coordinators)}/members` }),
      expect: e(404, 200, 404, 404, 404),
    },
    {
      name: 'GET /rooms/{unknown room}/members',
      request: () => ({ method: 'GET', path: `/rooms/${enc('!nosuchroomnosuchro:hearth.test')}/members` }),
      expect: e(404, 404, 404, 404, 404),
    },
    {
      name: 'POST /rooms/{group}/members',
      request: async () => {
        const target = await newParticipant();
        return { method: 'POST', path: `/rooms/${enc(group)}/members`, body: { user_id: target.session!.userId } };
      },
      // The participant is in the group (sees it, may not manage it); the mentor is not (404).
      expect: e(404, 200, 404, 403, 404),
    },
    {
      name: 'DELETE /rooms/{group}/members/{userId}',
      request: async () => {
        const target = await newParticipant();
        await cast.coordinator.addRoomMember(group, target.session!.userId);
        return { method: 'DELETE', path: `/rooms/${enc(group)}/members/${enc(target.session!.userId)}`, body: {} };
      },
      expect: e(404, 204, 404, 403, 404),
    },
    {
      name: 'GET /rooms/{cohort room}/messages',
      request: () => ({ method: 'GET', path: `/rooms/${enc(R().cohort)}/messages` }),
      expect: e(404, 200, 200, 200, 404),
    },
    {
      name: 'GET /rooms/{library room}/messages',
      request: () => ({ method: 'GET', path: `/rooms/${enc(R().library)}/messages` }),
      expect: e(404, 200, 200, 200, 404),
    },
    {
      name: 'GET /rooms/{coordinators room}/messages',
      request: () => ({ method: 'GET', path: `/rooms/${enc(R().coordinators)}/messages` }),
      expect: e(404, 200, 404, 404, 404),
    },
    // Last: a success makes the caller a (then removed) member, and former members may read
    // the history of their own membership, which would change the rows above.
    {
      name: 'POST /invites/{code}/accept',
      request: async () => {
        const { code } = await cast.coordinator.createCohortInvite(cast.cohort.cohort_id, { role: 'mentor' });
        return { method: 'POST', path: `/invites/${enc(code)}/accept` };
      },
      // Members already belong (409); an admin holds no cohort role (403); anyone else with the code joins.
      expect: e(403, 409, 409, 409, 200),
      after: async (actor, status) => {
        if (status === 200 && actor !== 'anonymous') {
          await cast.coordinator.removeMember(cast.cohort.cohort_id, clients[actor].session!.userId);
        }
      },
    },
  ];

  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const got: Record<string, number> = {};
    for (const actor of ACTORS) {
      const req = await row.request(actor);
      const token = actor === 'anonymous' ? undefined : clients[actor].session!.accessToken;
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const res = await raw(t.url, req.method, req.path, { token, body });
      got[actor] = res.status;
      if (res.status >= 400) expect(res.body).toMatchObject({ errcode: expect.stringMatching(/^HEARTH_/) });
      await row.after?.(actor, res.status);
    }
    expect(got).toEqual(row.expect);
  });

  it('covers every cohort-space route', () => {
    const covered = new Set(rows.map((r) => r.name.replace(/ \(.*\)$/, '').replace(/\{[^}]+\}/g, '{}')));
    for (const route of [
      'POST /cohorts',
      'GET /cohorts',
      'GET /cohorts/{}',
      'PATCH /cohorts/{}',
      'POST /cohorts/{}/invites',
      'GET /cohorts/{}/invites',
      'DELETE /cohorts/{}/invites/{}',
      'POST /invites/{}/accept',
      'GET /cohorts/{}/members',
      'PATCH /cohorts/{}/members/{}',
      'DELETE /cohorts/{}/members/{}',
      'POST /cohorts/{}/organizations',
      'GET /cohorts/{}/organizations',
      'GET /cohorts/{}/audit',
      'POST /cohorts/{}/rooms',
      'GET /rooms',
      'GET /rooms/{}/members',
      'POST /rooms/{}/members',
      'DELETE /rooms/{}/members/{}',
      'GET /rooms/{}/messages',
    ]) {
      expect(covered).toContain(route);
    }
  });
});
