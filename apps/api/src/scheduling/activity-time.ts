import { Injectable } from '@nestjs/common';
import type { ActivityTimeFact } from '@hearth/scheduling';

/**
 * The time of curriculum activities done in a cohort, by person (a user id) and day (in the
 * cohort's zone), in the months `first` to `last` (`YYYY-MM`); `userUuid` narrows it to one person.
 */
export type ActivityTimeSource = (
  cohortId: string,
  userUuid: string | null,
  months: { first: string; last: string },
) => Promise<ActivityTimeFact[]>;

/**
 * Lets the curriculum add its activities' time to participation hours without this module
 * knowing it (the curriculum imports scheduling, never the other way round).
 */
@Injectable()
export class ActivityTime {
  private readonly sources: ActivityTimeSource[] = [];

  register(source: ActivityTimeSource): void {
    this.sources.push(source);
  }

  async of(
    cohortId: string,
    userUuid: string | null,
    months: { first: string; last: string },
  ): Promise<ActivityTimeFact[]> {
    const out: ActivityTimeFact[] = [];
    for (const source of this.sources) out.push(...(await source(cohortId, userUuid, months)));
    return out;
  }
}
