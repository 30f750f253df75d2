import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { surveyResults } from '@hearth/progress';
import {
  ErrorCode,
  SURVEY_BLIND_RSA_VARIANT,
  SURVEY_MIN_RESPONSES,
  SurveyInfo,
  SurveyResponseRequest,
  SurveyResults,
  SurveysResponse,
  SurveyTokenResponse,
} from '@hearth/protocol';
import { createHash, randomUUID } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { CohortHooks, MemberChange } from '../cohorts/cohort-hooks';
import { CohortsService } from '../cohorts/cohorts.service';
import { Page } from '../common/http/page';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { nowOf } from '../common/time/clock';
import { instant } from '../common/time/instants';
import { Transactions } from '../stream/transactions';
import { BlindSignError, blindSigner } from './blind-signer';
import { CreateSurveyDto } from './dto/surveys.dto';
import { SurveyRow, SurveysRepository } from './surveys.repository';

const YEAR_MS = 365 * 24 * 3600_000;
const noSuchSurvey = (): HearthException => notFound('No such survey');

/**
 * The anonymous end-of-cohort survey (RFC 9474 blind RSA). A participant obtains one
 * blind-signed token while logged in; later, with no token of theirs, they send the answers with
 * the unblinded token. The server sees the blinded message and the finished token, which are
 * unlinkable by construction; it keeps neither the blinded message nor its signature, and a
 * response holds no account, device or time finer than the day.
 *
 * Who may answer is frozen when the survey opens (the roster), and every member sees it: with
 * few answers, a coordinator who padded the cohort with accounts of their own could otherwise
 * subtract their answers and read one real person's. A membership change after the opening
 * first freezes the roster as it stood, so the freeze is exact whenever it happens.
 */
@Injectable()
export class SurveysService {
  private readonly log = new Logger('Surveys');

  constructor(
    private readonly repo: SurveysRepository,
    private readonly cohorts: CohortsService,
    private readonly tx: Transactions,
    private readonly audit: AuditRepository,
    private readonly access: CohortAccessService,
    hooks: CohortHooks,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    hooks.onMemberChange((em, change) => this.beforeMemberChange(em, change));
  }

  /**
   * Runs under the cohort's lock, before the change is applied (a join: just after its row went
   * in, so the joiner is left out): surveys of the cohort that have opened get their roster now.
   */
  private async beforeMemberChange(em: EntityManager, change: MemberChange): Promise<void> {
    const except = change.from === null ? change.userUuid : null;
    for (const s of await this.repo.openedUnfrozen(em, new Date(this.now()), change.cohortId)) {
      await this.repo.freezeRoster(em, s.id, s.cohort_id, except);
    }
  }

  /** Surveys that have opened since anyone looked get their roster (at the next request that looks). */
  private async freezeOpened(): Promise<void> {
    await this.tx.run(async (em) => {
      const due = await this.repo.openedUnfrozen(em, new Date(this.now()), null);
      for (const cohortId of [...new Set(due.map((s) => s.cohort_id))].sort()) {
        await this.cohorts.lockCohort(em, cohortId);
        for (const s of due.filter((d) => d.cohort_id === cohortId))
          await this.repo.freezeRoster(em, s.id, cohortId, null);
      }
    });
  }

  async create(auth: AuthContext, cohortId: string, dto: CreateSurveyDto): Promise<SurveyInfo> {
    await this.access.coordinator(auth, cohortId);
    const opens = instant('opens_at', dto.opens_at);
    const closes = instant('closes_at', dto.closes_at);
    const now = this.now();
    // Answers arrive as a JSON object: names JavaScript objects already have would not survive as keys.
    const reserved = dto.items.find((i) => i.id in Object.prototype || i.id === '__proto__' || i.id === 'prototype');
    if (reserved) throw new HearthException(ErrorCode.InvalidParam, `"${reserved.id}" cannot be an item id`);
    if (closes <= opens) throw new HearthException(ErrorCode.InvalidParam, 'closes_at must be after opens_at');
    if (closes <= now) throw new HearthException(ErrorCode.InvalidParam, 'closes_at must be in the future');
    if (closes - opens > YEAR_MS || opens > now + YEAR_MS) {
      throw new HearthException(ErrorCode.InvalidParam, 'A survey opens within a year and stays open at most a year');
    }
    const keys = await blindSigner.generate();
    const row = {
      id: randomUUID(),
      cohort_id: cohortId,
      title: dto.title,
      items: dto.items.map(({ id, text, group, scale }) => ({ id, text, group, scale })),
      opens_at: new Date(opens),
      closes_at: new Date(closes),
      public_key: keys.spki,
      private_key: keys.pkcs8,
      created_by: auth.userId,
    };
    await this.tx.run(async (em) => {
      // Opening now: the roster is the participants as of this commit (no membership change can slip in).
      if (opens <= now) await this.cohorts.lockCohort(em, cohortId);
      await this.repo.insert(em, row);
      if (opens <= now) await this.repo.freezeRoster(em, row.id, cohortId, null);
      await this.audit.append(em, {
        cohortId,
        actor: auth.userId,
        action: 'survey_created',
        target: row.id,
        targetUser: null,
        detail: `${row.items.length} item(s), ${row.opens_at.toISOString()} → ${row.closes_at.toISOString()}`,
        reason: null,
      });
    });
    return this.get(auth, row.id);
  }

  async list(auth: AuthContext, cohortId: string, page: Page): Promise<SurveysResponse> {
    const { role } = await this.access.member(auth, cohortId);
    if (page.from !== undefined && !/^\d{1,15}$/.test(page.from)) {
      throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
    }
    await this.freezeOpened();
    const rows = await this.repo.ofCohort(cohortId, page.from ?? null, page.limit + 1);
    const shown = rows.slice(0, page.limit);
    return {
      surveys: await this.infos(shown, auth, role),
      ...(rows.length > page.limit ? { next: shown[shown.length - 1].seq } : {}),
    };
  }

  async get(auth: AuthContext, id: string): Promise<SurveyInfo> {
    const { survey, role } = await this.visible(auth, id);
    const [info] = await this.infos([survey], auth, role);
    return info;
  }

  /**
   * One blind signature per participant per survey, until the survey closes. Asking again with the
   * same blinded message signs it again (the first answer may have been lost); another is refused.
   * Blindness makes the blinded message unlinkable to the token, so keeping its hash is harmless.
   */
  async token(auth: AuthContext, id: string, blindedMsg: string): Promise<SurveyTokenResponse> {
    const { survey } = await this.visible(auth, id);
    const blinded = Buffer.from(blindedMsg, 'base64url');
    return this.tx.run(async (em) => {
      const current = await this.repo.find(survey.id, em, true);
      if (!current || this.status(current) === 'closed') {
        throw new HearthException(ErrorCode.Conflict, 'This survey has closed');
      }
      if (this.status(current) === 'scheduled')
        throw new HearthException(ErrorCode.Conflict, 'This survey is not open yet');
      if (!(await this.repo.onRoster(em, survey.id, auth.userUuid))) {
        throw new HearthException(
          ErrorCode.Forbidden,
          'Only those who were participants when the survey opened answer it',
        );
      }
      const key = await this.repo.privateKey(em, survey.id);
      if (!key) throw new HearthException(ErrorCode.Conflict, 'This survey has closed');
      const hash = createHash('sha256').update(blinded).digest();
      if ((await this.repo.recordTokenIssued(em, survey.id, auth.userUuid, hash)) === 'other') {
        throw new HearthException(ErrorCode.Conflict, 'You have obtained your token for this survey already');
      }
      let sig: Buffer;
      try {
        sig = blindSigner.blindSign(key, current.public_key, blinded);
      } catch (e) {
        // Thrown inside the transaction: the token is not counted as issued.
        if (e instanceof BlindSignError) throw new HearthException(ErrorCode.InvalidParam, e.message);
        throw e;
      }
      return { blind_sig: sig.toString('base64url') };
    });
  }

  /**
   * No authentication: the token is the only credential. Valid answers for every item first (a
   * mistake does not spend the token), then the signature, then single use.
   */
  async respond(id: string, dto: SurveyResponseRequest): Promise<void> {
    const survey = isUuid(id) ? await this.repo.find(id) : null;
    if (!survey) throw noSuchSurvey();
    this.assertOpen(survey);
    const answers = this.checkAnswers(survey, dto.answers);
    const token = Buffer.from(dto.token, 'base64url');
    const signature = Buffer.from(dto.signature, 'base64url');
    if (!(await blindSigner.verify(survey.public_key, token, signature))) {
      throw new HearthException(ErrorCode.TokenInvalid, 'This token was not signed for this survey');
    }
    await this.tx.run(async (em) => {
      // Under the survey's row lock (shared): a close cannot slip between this check and the insert,
      // so no answer lands after the results may have been read.
      const current = await this.repo.find(survey.id, em, 'share');
      this.assertOpen(current!);
      const stored = await this.repo.insertResponse(em, {
        id: randomUUID(),
        surveyId: survey.id,
        day: new Date(this.now()).toISOString().slice(0, 10),
        tokenHash: createHash('sha256').update(token).digest(),
        answers,
      });
      if (!stored) throw new HearthException(ErrorCode.Conflict, 'This token has been used');
    });
  }

  async close(auth: AuthContext, id: string): Promise<SurveyInfo> {
    const { survey } = await this.visible(auth, id);
    await this.access.coordinator(auth, survey.cohort_id);
    if (survey.pulse_month !== null) {
      // Closed early, a month would have no pulse left to answer (there is one per month).
      throw new HearthException(ErrorCode.Conflict, 'A monthly pulse closes with its month');
    }
    await this.tx.run(async (em) => {
      const current = await this.repo.find(survey.id, em, true);
      if (!current || this.status(current) === 'closed') {
        throw new HearthException(ErrorCode.Conflict, 'This survey has closed already');
      }
      await this.repo.close(em, survey.id, new Date(this.now()));
      await this.repo.shuffleResponses(em, survey.id);
      await this.audit.append(em, {
        cohortId: survey.cohort_id,
        actor: auth.userId,
        action: 'survey_closed',
        target: survey.id,
        targetUser: null,
        detail: null,
        reason: null,
      });
    });
    await this.forgetDeletedKeys();
    return this.get(auth, id);
  }

  /** Coordinators of the cohort and admins, once the survey has closed with enough answers. */
  async results(auth: AuthContext, id: string): Promise<SurveyResults> {
    const { survey, role } = await this.visible(auth, id);
    if (role !== 'coordinator' && !auth.isAdmin) {
      throw new HearthException(ErrorCode.Forbidden, "Only the cohort's coordinators and admins read the results");
    }
    if (this.status(survey) !== 'closed') {
      throw new HearthException(ErrorCode.ResultsHidden, 'Results show once the survey has closed');
    }
    const answers = await this.repo.answers(survey.id);
    if (answers.length < SURVEY_MIN_RESPONSES) {
      throw new HearthException(
        ErrorCode.ResultsHidden,
        `Results show only with at least ${SURVEY_MIN_RESPONSES} answers, so no one's answers can be picked out`,
      );
    }
    return surveyResults(survey.id, survey.items, answers);
  }

  // For the monthly pulse (pulse.service.ts): the same surveys, opened by the hub

  /**
   * Opens a cohort's pulse for a month (a no-op when it exists): a fresh key, and the roster
   * frozen at once when the month has begun (it always has: the pulse is opened in its month).
   */
  async openPulse(
    cohortId: string,
    month: string,
    span: { start: number; end: number },
    items: SurveyRow['items'],
  ): Promise<void> {
    const keys = await blindSigner.generate();
    await this.tx.run(async (em) => {
      await this.cohorts.lockCohort(em, cohortId);
      if (await this.repo.pulseOf(cohortId, month, em)) return;
      const id = randomUUID();
      await this.repo.insert(em, {
        id,
        cohort_id: cohortId,
        title: `pulse ${month}`,
        items,
        opens_at: new Date(span.start),
        closes_at: new Date(span.end),
        public_key: keys.spki,
        private_key: keys.pkcs8,
        // Nobody made it: the hub opens a cohort's pulse every month.
        created_by: '',
        pulse_month: month,
      });
      if (span.start <= this.now()) await this.repo.freezeRoster(em, id, cohortId, null);
    });
  }

  /** Surveys and pulses that closed by their time lose their key; those that opened get their roster. */
  async finishDue(): Promise<void> {
    await this.forgetClosedKeys();
    await this.freezeOpened();
  }

  /** As `GET /surveys/{id}` shows them, for a caller of the given role in their cohort. */
  async infosOf(surveys: SurveyRow[], auth: AuthContext, role: string | null): Promise<SurveyInfo[]> {
    return this.infos(surveys, auth, role);
  }

  statusOf(s: Pick<SurveyRow, 'opens_at' | 'closes_at'>): SurveyInfo['status'] {
    return this.status(s);
  }

  // Helpers

  /** Members of the survey's cohort, and admins; anyone else learns nothing (404). */
  private async visible(auth: AuthContext, id: string): Promise<{ survey: SurveyRow; role: string | null }> {
    const survey = isUuid(id) ? await this.repo.find(id) : null;
    if (!survey) throw noSuchSurvey();
    const role = await this.access.roleOf(survey.cohort_id, auth.userUuid);
    if (role === null && !auth.isAdmin) throw noSuchSurvey();
    await this.forgetClosedKeys();
    await this.freezeOpened();
    return { survey: (await this.repo.find(id)) ?? survey, role };
  }

  /**
   * A survey that closed by its time is finished at the next request that looks at surveys: its
   * private key goes and its answers are shuffled, as an explicit close does.
   */
  private async forgetClosedKeys(): Promise<void> {
    try {
      const closed = await this.tx.run(async (em) => {
        const lapsed = await this.repo.lapsedWithKeys(em, new Date(this.now()));
        for (const id of lapsed) {
          await this.repo.close(em, id, new Date(this.now()));
          await this.repo.shuffleResponses(em, id);
        }
        return lapsed.length;
      });
      if (closed > 0) await this.forgetDeletedKeys();
    } catch (e) {
      // Best effort: the next request tries again; a closed survey signs and takes nothing either way.
      this.log.warn(`Could not finish closed surveys: ${(e as Error).name}`);
    }
  }

  /** Rewrites the keys' table once a key was deleted; a failure is retried at the next close. */
  private async forgetDeletedKeys(): Promise<void> {
    try {
      if (!(await this.repo.forgetDeletedKeys())) {
        this.log.warn('A transaction outlasted the wait for a deleted survey key: rewritten again at the next close');
      }
    } catch (e) {
      this.log.warn(`Could not rewrite the survey keys' table: ${(e as Error).name}`);
    }
  }

  private assertOpen(survey: SurveyRow): void {
    const status = this.status(survey);
    if (status !== 'open') {
      throw new HearthException(
        ErrorCode.Conflict,
        status === 'scheduled' ? 'This survey is not open yet' : 'This survey has closed',
      );
    }
  }

  private checkAnswers(survey: SurveyRow, answers: Record<string, unknown>): Record<string, number> {
    const ids = new Set(survey.items.map((i) => i.id));
    if (Array.isArray(answers)) throw new HearthException(ErrorCode.InvalidParam, 'answers must be an object');
    for (const key of Object.keys(answers)) {
      if (!ids.has(key))
        throw new HearthException(ErrorCode.InvalidParam, `answers.${key} is not an item of this survey`);
    }
    const out: Record<string, number> = {};
    for (const item of survey.items) {
      // Own properties only: an item called "constructor" must not read Object.prototype's.
      const v = Object.hasOwn(answers, item.id) ? answers[item.id] : undefined;
      if (v === undefined) throw new HearthException(ErrorCode.InvalidParam, `answers.${item.id} is missing`);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) {
        throw new HearthException(ErrorCode.InvalidParam, `answers.${item.id} must be a whole number from 1 to 5`);
      }
      out[item.id] = v;
    }
    return out;
  }

  private status(s: Pick<SurveyRow, 'opens_at' | 'closes_at'>): SurveyInfo['status'] {
    const now = this.now();
    if (now < new Date(s.opens_at).getTime()) return 'scheduled';
    return now < new Date(s.closes_at).getTime() ? 'open' : 'closed';
  }

  private now(): number {
    return nowOf(this.config);
  }

  private async infos(surveys: SurveyRow[], auth: AuthContext, role: string | null): Promise<SurveyInfo[]> {
    const ids = surveys.map((s) => s.id);
    const [issued, rosters] = await Promise.all([this.repo.issuedTo(ids, auth.userUuid), this.repo.rosters(ids)]);
    return surveys.map((s) => {
      const roster = s.roster_frozen ? (rosters.get(s.id) ?? []).map((u) => this.access.userId(u)) : null;
      const eligible = roster ? roster.includes(auth.userId) : role === 'participant';
      return this.info(s, eligible, issued.has(s.id), roster);
    });
  }

  private info(s: SurveyRow, eligible: boolean, issued: boolean, roster: string[] | null): SurveyInfo {
    return {
      survey_id: s.id,
      cohort_id: s.cohort_id,
      title: s.title,
      items: s.items,
      opens_at: new Date(s.opens_at).toISOString(),
      closes_at: new Date(s.closes_at).toISOString(),
      status: this.status(s),
      public_key_spki: Buffer.from(s.public_key).toString('base64url'),
      variant: SURVEY_BLIND_RSA_VARIANT,
      eligible,
      token_issued: issued,
      roster,
      pulse_month: s.pulse_month,
    };
  }
}
