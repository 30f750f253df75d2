import type { CurriculumText } from '@hearth/client';
import {
  CurriculumProgressResponse,
  CurriculumResponse,
  PAGE_LIMIT_MAX,
  ParticipantCurriculumProgress,
  ProgressParticipant,
} from '@hearth/protocol';
import { ReactNode } from 'react';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { FeedbackForm, SubmissionThread, useSubmissions } from './Submissions';
import { titleOf } from './words';

/**
 * Coordinators (everyone) and mentors (their mentees): each participant's states, and their
 * answers from their progress room, to read and give feedback on.
 */
export function ParticipantsPanel(props: {
  cohortId: string;
  curriculum: CurriculumResponse;
  texts: Map<string, CurriculumText>;
}): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const { cohortId } = props;
  const people = useResource<{ states: ParticipantCurriculumProgress[]; rooms: ProgressParticipant[] }>(
    async () => {
      const states: ParticipantCurriculumProgress[] = [];
      let from: string | undefined;
      do {
        const page: CurriculumProgressResponse = await http.curriculumProgress(cohortId, {
          limit: PAGE_LIMIT_MAX,
          ...(from ? { from } : {}),
        });
        states.push(...page.participants);
        from = page.next;
      } while (from);
      const rooms: ProgressParticipant[] = [];
      let next: string | undefined;
      do {
        const page = await http.progress(cohortId, { limit: PAGE_LIMIT_MAX, ...(next ? { from: next } : {}) });
        rooms.push(...page.participants);
        next = page.next;
      } while (next);
      return { states, rooms };
    },
    [cohortId, http, props.curriculum],
    { states: [], rooms: [] },
  );
  const published = props.curriculum.modules.filter((m) => m.status === 'published').flatMap((m) => m.activities);
  return (
    <section className="card" aria-labelledby="cur-people">
      <h2 id="cur-people">{t('cur.people.title')}</h2>
      <ErrorLine error={people.error} />
      {people.value.states.length === 0 && !people.busy && <p className="muted">{t('cur.people.none')}</p>}
      {people.value.states.map((p) => {
        const room = people.value.rooms.find((r) => r.members.includes(p.user_id))?.room_id ?? null;
        const done = p.activities.filter(
          (a) => a.status === 'done' && published.some((x) => x.activity_id === a.activity_id),
        );
        return (
          <article key={p.user_id} className="curriculum-person" aria-label={localpart(p.user_id)}>
            <h3>
              <bdi>{localpart(p.user_id)}</bdi>
            </h3>
            <p>{t('cur.people.done', { done: done.length, total: published.length })}</p>
            <ul>
              {published.map((a) => {
                const s = p.activities.find((x) => x.activity_id === a.activity_id)?.status ?? 'not_started';
                return (
                  <li key={a.activity_id}>
                    <bdi>{titleOf(props.texts, a.activity_id) ?? t('cur.noText')}</bdi>:{' '}
                    <span className={`badge status-${s}`}>{t(`cur.status.${s}`)}</span>
                  </li>
                );
              })}
            </ul>
            {room && <Answers roomId={room} texts={props.texts} />}
          </article>
        );
      })}
    </section>
  );
}

function Answers({ roomId, texts }: { roomId: string; texts: Map<string, CurriculumText> }): ReactNode {
  const { t } = useI18n();
  const answers = useSubmissions(roomId);
  return (
    <>
      <h4>{t('cur.people.answers')}</h4>
      {answers.length === 0 && <p className="muted">{t('cur.people.noAnswers')}</p>}
      <ul className="submissions">
        {answers.map((s) => (
          <SubmissionThread key={s.submission_id} s={s}>
            <p className="muted">
              <bdi>{titleOf(texts, s.activity_id) ?? t('cur.noText')}</bdi>
            </p>
            <FeedbackForm roomId={roomId} submission={s} />
          </SubmissionThread>
        ))}
      </ul>
    </>
  );
}
