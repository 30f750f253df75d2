import { MentorshipInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useHub, useSession } from '../../state/hooks';
import { AvailabilityForm, SessionsPanel } from '../scheduling';
import { ProfileForm } from './ProfileForm';

/** Everyone: their mentorships; mentors: their profile. */
export function MentoringHome({ go }: { go: (v: View) => void }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  const { me } = useAccount();
  const { t } = useI18n();
  const load = useResource<MentorshipInfo[] | null>(
    async () => (await http.mentorships({ limit: 100 })).mentorships,
    [http],
    null,
  );
  const mentorships = load.value;
  const reload = load.reload;
  const isMentor = me?.cohorts.some((c) => c.role === 'mentor') ?? false;
  return (
    <>
      <h1>{t('nav.mentoring')}</h1>
      <section aria-labelledby="mentorships-title">
        <h2 id="mentorships-title">{t('mentoring.mine')}</h2>
        <ErrorLine error={load.error} />
        {mentorships?.length === 0 && <p className="muted">{t('mentoring.none')}</p>}
        <ul className="list">
          {mentorships?.map((m) => (
            <MentorshipCard
              key={m.mentorship_id}
              m={m}
              go={go}
              onChanged={() => {
                reload();
                void hub.refresh().catch(() => undefined);
              }}
            />
          ))}
        </ul>
      </section>
      {isMentor && <ProfileForm />}
      {isMentor && <AvailabilityForm />}
    </>
  );
}

function MentorshipCard(props: { m: MentorshipInfo; go: (v: View) => void; onChanged: () => void }): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const { m } = props;
  const amMentor = m.mentor === me?.user_id;
  const other = localpart(amMentor ? m.participant : m.mentor);
  const [open, setOpen] = useState<'rematch' | 'end' | null>(null);
  const [reason, setReason] = useState('');
  const action = useAction();
  const act = (work: () => Promise<unknown>): void => {
    void action
      .run(async () => {
        await work();
        setOpen(null);
        setReason('');
      })
      .then((ok) => ok && props.onChanged());
  };
  const active = m.status === 'active';
  // Only one's own request is ever listed here.
  const asked = m.rematch_requests[0];
  return (
    <li className="card">
      <p>
        <strong dir="auto">{t(amMentor ? 'mentoring.yourMentee' : 'mentoring.yourMentor', { name: other })}</strong>{' '}
        <span className="muted">
          {active
            ? t('mentoring.since', { day: time(m.started_at) })
            : t('mentoring.endedOn', { day: time(m.ended_at ?? m.started_at) })}
        </span>
      </p>
      {!active && m.end_reason && <p className="muted">{t('mentoring.endedBecause', { reason: m.end_reason })}</p>}
      {asked && active && <p className="muted">{t('mentoring.rematchAsked', { day: time(asked.at) })}</p>}
      {active && (
        <div className="actions">
          <button type="button" onClick={() => props.go({ kind: 'room', id: m.room_id })}>
            {t('mentoring.open')}
          </button>
          {!asked && (
            <button type="button" onClick={() => setOpen('rematch')} aria-expanded={open === 'rematch'}>
              {t('mentoring.rematch')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setOpen('end')} aria-expanded={open === 'end'}>
            {t('mentoring.end')}
          </button>
        </div>
      )}
      {active && <SessionsPanel m={m} />}
      {open === 'rematch' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => http.requestRematch(m.mentorship_id, reason.trim()));
          }}
        >
          <Field label={t('mentoring.rematchReason')} value={reason} onChange={setReason} required />
          <button type="submit" disabled={action.busy || !reason.trim()}>
            {t('mentoring.rematch')}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {open === 'end' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => http.endMentorship(m.mentorship_id, reason.trim() || undefined));
          }}
        >
          <p>{t('mentoring.endConfirm', { name: other })}</p>
          <Field label={t('mentoring.endReason')} value={reason} onChange={setReason} />
          <button type="submit" className="danger" disabled={action.busy}>
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <ErrorLine error={action.error} />
    </li>
  );
}
