import { Inject, Injectable } from '@nestjs/common';
import { pulseResults } from '@hearth/progress';
import {
  ErrorCode,
  PULSE_GROUP,
  PULSE_MONTHS_PAGE,
  PULSE_QUESTIONS,
  PulseInfo,
  PulseMonthResult,
  PulseResultsResponse,
  SURVEY_MIN_RESPONSES,
  SurveyItem,
} from '@hearth/protocol';
import { MONTH, monthOf, monthSpan } from '@hearth/scheduling';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { Page } from '../common/http/page';
import { nowOf } from '../common/time/clock';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';

/** The pulse's three items: ids only; each client shows its own translated question. */
const PULSE_ITEMS: SurveyItem[] = PULSE_QUESTIONS.map((id) => ({
  id,
  text: id,
  group: PULSE_GROUP,
  scale: 'agreement',
}));

/**
 * The monthly well-being pulse: per cohort and calendar month (the cohort's time zone), a survey
 * the hub opens at the first look in that month and that closes with the month. Everything that
 * keeps the survey anonymous applies unchanged (SurveysService): one blind-signed token per
 * participant on the roster frozen at the opening, answers sent with no account, single use, the
 * key deleted and the answers shuffled at the close, and results only after the close with at
 * least SURVEY_MIN_RESPONSES answers.
 */
@Injectable()
export class PulseService {
  constructor(
    private readonly surveys: SurveysService,
    private readonly repo: SurveysRepository,
    private readonly access: CohortAccessService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Members: this month's pulse, opened now if nobody has looked yet this month. */
  async current(auth: AuthContext, cohortId: string): Promise<PulseInfo> {
    const { cohort, role } = await this.access.member(auth, cohortId);
    await this.surveys.finishDue();
    const month = monthOf(nowOf(this.config), cohort.timezone);
    const base = { cohort_id: cohortId, month, timezone: cohort.timezone };
    // Alumni take no more pulses (the cohort has ended); earlier months' results stay readable.
    if (cohort.phase === 'alumni') return { ...base, survey: null };
    let row = await this.repo.pulseOf(cohortId, month);
    if (!row) {
      await this.surveys.openPulse(cohortId, month, monthSpan(month, cohort.timezone), PULSE_ITEMS);
      row = await this.repo.pulseOf(cohortId, month);
    }
    const [survey] = await this.surveys.infosOf([row!], auth, role);
    return { ...base, survey };
  }

  /**
   * Members: per month, newest first, the count and each question's distribution and mean, only
   * once the month has closed with at least SURVEY_MIN_RESPONSES answers; never per person.
   */
  async results(auth: AuthContext, cohortId: string, page: Page): Promise<PulseResultsResponse> {
    await this.access.member(auth, cohortId);
    if (page.from !== undefined && !MONTH.test(page.from)) {
      throw new HearthException(ErrorCode.InvalidParam, 'from must be a month, YYYY-MM');
    }
    await this.surveys.finishDue();
    const limit = Math.min(page.limit, PULSE_MONTHS_PAGE);
    const rows = await this.repo.pulsesOf(cohortId, page.from ?? null, limit + 1);
    const shown = rows.slice(0, limit);
    const closed = shown.filter((r) => this.surveys.statusOf(r) === 'closed');
    const counts = await this.repo.responseCounts(closed.map((r) => r.id));
    const months: PulseMonthResult[] = [];
    for (const row of shown) {
      const n = counts.get(row.id) ?? 0;
      const open = this.surveys.statusOf(row) !== 'closed';
      if (open || n < SURVEY_MIN_RESPONSES) {
        // Not even the count: while the month is open it would tick up as each person answers.
        months.push({ month: row.pulse_month!, status: open ? 'open' : 'closed', responses: null, questions: null });
        continue;
      }
      months.push({
        month: row.pulse_month!,
        status: 'closed',
        responses: n,
        questions: pulseResults(await this.repo.answers(row.id)),
      });
    }
    return { months, ...(rows.length > limit ? { next: shown[shown.length - 1].pulse_month! } : {}) };
  }
}
