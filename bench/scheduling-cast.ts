import { HearthClient } from '../libs/client/src';

const PASSWORD = 'correct horse battery staple';

let address = 0;
/**
 * A client that looks like its own address to the hub (which trusts one proxy hop here), so the
 * per-address limit on logins and registrations does not cut the set-up short.
 */
export function benchClient(url: string): HearthClient {
  address++;
  return new HearthClient(url, null, { 'x-forwarded-for': `198.51.${100 + (address >> 8)}.${address & 255}` });
}

export interface Pair {
  mentorName: string;
  menteeName: string;
  mentorClient: HearthClient;
  menteeClient: HearthClient;
  mentorship: string;
}

/** A cohort with `n` mentors and `n` participants, paired through a matching run and its approval. */
export async function castCohortOn(url: string, setupInvite: string, n: number): Promise<Pair[]> {
  const admin = benchClient(url);
  await admin.register({ invite_code: setupInvite, username: 'bench-admin', password: PASSWORD });
  const cohort = await admin.createCohort({
    name: 'Bench cohort',
    kind: 'individuals',
    starts_on: '2027-01-04',
    ends_on: '2028-03-01',
    timezone: 'Europe/Berlin',
  });
  const C = cohort.cohort_id;
  const join = async (inviter: HearthClient, role: 'coordinator' | 'mentor' | 'participant', username: string) => {
    const { code } = await inviter.createCohortInvite(C, { role });
    const c = benchClient(url);
    await c.register({ invite_code: code, username, password: PASSWORD });
    return c;
  };
  const coordinator = await join(admin, 'coordinator', 'bench-coord');
  const pairs: Omit<Pair, 'mentorship'>[] = [];
  for (let i = 0; i < n; i++) {
    const mentorName = `bench-m${i}`;
    const menteeName = `bench-p${i}`;
    const mentorClient = await join(coordinator, 'mentor', mentorName);
    const menteeClient = await join(coordinator, 'participant', menteeName);
    await mentorClient.putMentorProfile({
      country: 'LB',
      languages: ['en'],
      timezone: 'Europe/Berlin',
      working_hours: { start: '09:00', end: '17:00' },
      domains: { resilience: 2, advocacy: 2, integrated_security: 2 },
      skills: [],
      regions: [],
      capacity: 1,
      excluded_countries: [],
      network: false,
    });
    await menteeClient.putNeeds(C, {
      country: 'SY',
      languages: ['en'],
      timezone: 'Europe/Istanbul',
      working_hours: { start: '09:00', end: '17:00' },
      domains: ['resilience'],
      excluded_countries: [],
    });
    pairs.push({ mentorName, menteeName, mentorClient, menteeClient });
  }
  const run = await coordinator.runMatching(C);
  const { mentorships } = await coordinator.approveMatching(C, run.run_id);
  return pairs.map((p) => ({
    ...p,
    mentorship: mentorships.find((m) => m.participant === p.menteeClient.session!.userId)!.mentorship_id,
  }));
}
