import {
  ActivityInfo,
  ActivityProgress,
  CreateActivityRequest,
  CURRICULUM_CONTENT_MSGTYPE,
  CURRICULUM_FEEDBACK_MSGTYPE,
  CURRICULUM_SUBMISSION_MSGTYPE,
  CURRICULUM_TEXT_MAX_LENGTH,
  CURRICULUM_TITLE_MAX_LENGTH,
  LIBRARY_REQUEST_MSGTYPE,
  MarkerLevel,
  MentoringDomain,
  ModuleInfo,
} from '@hearth/protocol';
import type { HearthClient } from '../http/client';
import type { ProgressRooms } from '../progress/outcomes';
import type { PreparedMessage } from '../timeline/sender';
import type { TimelineItem } from '../timeline/types';
import { CurriculumText, curriculumTexts, Submission, submissionsOf } from './content';

/** What the curriculum needs of a session (SecureSession is one). */
export interface CurriculumHost {
  readonly userId: string;
  readonly http: Pick<
    HearthClient,
    'createModule' | 'createActivity' | 'setActivityProgress' | 'curriculum' | 'updateModule'
  >;
  readonly progress: Pick<ProgressRooms, 'addEvidence'>;
  messages(roomId: string): TimelineItem[];
  sendPrepared(message: PreparedMessage): Promise<string>;
}

/** Encrypts a message for a room's current members, in the room's queue (MessageSender.prepare). */
export type PrepareCurriculum = (roomId: string, payload: Record<string, unknown>) => Promise<PreparedMessage>;

/** A module's or an activity's words, as its author writes them. */
export interface CurriculumWords {
  title: string;
  text: string;
}

function checked(words: CurriculumWords): CurriculumWords {
  const title = words.title.trim();
  if (title === '' || title.length > CURRICULUM_TITLE_MAX_LENGTH || words.text.length > CURRICULUM_TEXT_MAX_LENGTH) {
    throw new RangeError(
      `A title of 1 to ${CURRICULUM_TITLE_MAX_LENGTH} characters and a text of at most ${CURRICULUM_TEXT_MAX_LENGTH}`,
    );
  }
  return { title, text: words.text };
}

/**
 * The cohort curriculum on this device. The hub keeps the structure (modules, activities, order,
 * due days, estimated minutes, statuses) and each participant's state; the words travel end-to-end
 * encrypted:
 *
 * - titles and texts of modules and activities in the cohort's library room (every member is in
 *   it and reads its whole history), versioned per item, accepted only from the cohort's
 *   coordinators and mentors; members who joined later get them when an author's device posts
 *   them again (`republish`, answering the library's requests);
 * - a participant's reflections and assignments in their progress room (shared with their mentor
 *   and the coordinators), with feedback in the same thread: the relation is inside the ciphertext.
 */
export class Curriculum {
  constructor(
    private readonly host: CurriculumHost,
    private readonly prepare: PrepareCurriculum,
  ) {}

  /** Creates a module (a draft, last in order) and posts its words, encrypted, in the library room. */
  async createModule(
    cohortId: string,
    libraryRoomId: string,
    domain: MentoringDomain,
    words: CurriculumWords,
  ): Promise<ModuleInfo> {
    const w = checked(words);
    const module = await this.host.http.createModule(cohortId, domain);
    await this.sendWords(libraryRoomId, 'module', module.module_id, 1, w);
    return module;
  }

  /** Adds an activity at the end of a module and posts its words, encrypted, in the library room. */
  async createActivity(
    moduleId: string,
    libraryRoomId: string,
    req: CreateActivityRequest,
    words: CurriculumWords,
  ): Promise<ActivityInfo> {
    const w = checked(words);
    const activity = await this.host.http.createActivity(moduleId, req);
    await this.sendWords(libraryRoomId, 'activity', activity.activity_id, 1, w);
    return activity;
  }

  /** New words for a module or an activity: the next version (`authors` as in `texts`). */
  async editWords(
    libraryRoomId: string,
    item: 'module' | 'activity',
    itemId: string,
    words: CurriculumWords,
    authors: Iterable<string>,
  ): Promise<string> {
    const current = this.texts(libraryRoomId, authors).get(itemId.toLowerCase());
    return this.sendWords(libraryRoomId, item, itemId, (current?.version ?? 0) + 1, checked(words));
  }

  /**
   * The titles and texts this device has decrypted in the library room (call
   * `session.library.loadAll` first for the older ones). `authors`: the cohort's coordinators' and
   * mentors' user ids; words from anyone else are ignored.
   */
  texts(libraryRoomId: string, authors: Iterable<string>): Map<string, CurriculumText> {
    return curriculumTexts(this.host.messages(libraryRoomId), authors);
  }

  /**
   * Posts again, for the library room's current members, the latest words of every module and
   * activity this device can read (same versions): how members who joined later get them.
   */
  async republish(libraryRoomId: string, authors: Iterable<string>): Promise<number> {
    const texts = [...this.texts(libraryRoomId, authors).values()];
    for (const t of texts) await this.sendWords(libraryRoomId, t.item, t.item_id, t.version, t);
    return texts.length;
  }

  /**
   * Requests in the library room to post it again (Library.requestRepublication) that came after
   * the curriculum's words were last posted: an author's device then runs `republish`.
   */
  requests(libraryRoomId: string, authors: Iterable<string>): string[] {
    const texts = [...this.texts(libraryRoomId, authors).values()];
    if (texts.length === 0) return [];
    const oldest = Math.min(...texts.map((t) => t.ts));
    return this.host
      .messages(libraryRoomId)
      .filter(
        (m) =>
          'body' in m &&
          m.library_request === true &&
          m.shield_code !== 'MismatchedSender' &&
          m.sender !== this.host.userId &&
          m.ts > oldest,
      )
      .map((m) => m.event_id);
  }

  /**
   * A participant sends a reflection or an assignment, encrypted in their progress room, and
   * records on the hub that it is submitted and done (only the flag: the words stay in the room).
   */
  async submit(
    progressRoomId: string,
    activityId: string,
    body: string,
  ): Promise<{ submission_id: string; event_id: string; progress: ActivityProgress }> {
    if (body.trim() === '' || body.length > CURRICULUM_TEXT_MAX_LENGTH) {
      throw new RangeError(`A submission of 1 to ${CURRICULUM_TEXT_MAX_LENGTH} characters`);
    }
    const submission_id = crypto.randomUUID();
    const event_id = await this.send(progressRoomId, {
      msgtype: CURRICULUM_SUBMISSION_MSGTYPE,
      body,
      submission_id,
      activity_id: activityId,
    });
    const progress = await this.host.http.setActivityProgress(activityId, { status: 'done', submitted: true });
    return { submission_id, event_id, progress };
  }

  /** A mentor's or coordinator's feedback on a submission, in the same progress room. */
  feedback(
    progressRoomId: string,
    submission: Pick<Submission, 'submission_id' | 'activity_id'>,
    body: string,
  ): Promise<string> {
    if (body.trim() === '' || body.length > CURRICULUM_TEXT_MAX_LENGTH) {
      throw new RangeError(`Feedback of 1 to ${CURRICULUM_TEXT_MAX_LENGTH} characters`);
    }
    return this.send(progressRoomId, {
      msgtype: CURRICULUM_FEEDBACK_MSGTYPE,
      body,
      submission_id: submission.submission_id,
      activity_id: submission.activity_id,
    });
  }

  /** The submissions (with their feedback) this device has decrypted in a progress room. */
  submissions(progressRoomId: string): Submission[] {
    return submissionsOf(this.host.messages(progressRoomId));
  }

  /**
   * A submission as evidence for one marker of one of the participant's outcomes (the same
   * progress room): an `org.hearth.evidence` whose text is the submission's, which names it.
   */
  attachAsEvidence(
    progressRoomId: string,
    submission: Pick<Submission, 'submission_id' | 'body'>,
    outcomeId: string,
    level: MarkerLevel,
  ): Promise<string> {
    return this.host.progress.addEvidence(progressRoomId, outcomeId, level, submission.body, submission.submission_id);
  }

  /** Whether the library room holds a request to post it again from this account. */
  asked(libraryRoomId: string): boolean {
    return this.host
      .messages(libraryRoomId)
      .some((m) => 'body' in m && m.library_request === true && m.sender === this.host.userId);
  }

  /** Asks for the library room (and so the curriculum's words) to be posted again. */
  async requestRepublication(libraryRoomId: string): Promise<string> {
    return this.send(libraryRoomId, { msgtype: LIBRARY_REQUEST_MSGTYPE, body: '' });
  }

  private sendWords(
    roomId: string,
    item: 'module' | 'activity',
    itemId: string,
    version: number,
    words: CurriculumWords,
  ): Promise<string> {
    return this.send(roomId, {
      msgtype: CURRICULUM_CONTENT_MSGTYPE,
      // The body is what a client that does not know curriculum messages shows: nothing of the words.
      body: '',
      item,
      item_id: itemId,
      version,
      title: words.title,
      text: words.text,
    });
  }

  private async send(roomId: string, payload: Record<string, unknown>): Promise<string> {
    return this.host.sendPrepared(await this.prepare(roomId, payload));
  }
}
