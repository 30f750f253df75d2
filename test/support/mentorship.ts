import { HearthClient } from '@hearth/client';
import { MentorProfile, MentorshipInfo, ParticipantNeeds } from '@hearth/protocol';
import { castCohort, CohortCast } from './cohorts';
import { HubClients } from './hub';

export const MENTOR_PROFILE: MentorProfile = {
  country: 'SY',
  languages: ['ar', 'en'],
  timezone: 'Europe/Berlin',
  working_hours: { start: '09:00', end: '17:00' },
  domains: { resilience: 3, advocacy: 1, integrated_security: 2 },
  skills: [],
  regions: ['SY'],
  capacity: 3,
  excluded_countries: [],
  network: false,
};

export const PARTICIPANT_NEEDS: ParticipantNeeds = {
  country: 'SY',
  languages: ['ar'],
  timezone: 'America/New_York',
  working_hours: { start: '09:00', end: '17:00' },
  domains: ['resilience'],
  excluded_countries: [],
};

/** A cohort whose mentor and participant are paired (matching run + approval through the API). */
export async function castMentorship(
  t: HubClients,
  prefix: string,
  needs: Partial<ParticipantNeeds> = {},
): Promise<CohortCast & { mentorship: MentorshipInfo }> {
  const cast = await castCohort(t, prefix);
  const C = cast.cohort.cohort_id;
  await cast.mentor.putMentorProfile(MENTOR_PROFILE);
  await cast.participant.putNeeds(C, { ...PARTICIPANT_NEEDS, ...needs });
  const run = await cast.coordinator.runMatching(C);
  const [mentorship] = (await cast.coordinator.approveMatching(C, run.run_id)).mentorships;
  return { ...cast, mentorship };
}

export const userId = (c: HearthClient): string => c.session!.userId;
