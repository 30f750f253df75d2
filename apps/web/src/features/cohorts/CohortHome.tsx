import { CohortResponse, MemberInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useSession } from '../../state/hooks';
import { PinnedResources } from '../library';
import { ArchiveCohort, EndOfLife } from '../lifecycle';
import { MatchingPanel, NeedsForm } from '../mentoring';
import { HelpRequests, OpenCheckins } from '../followups';
import { LeaveCohort, LeaveGroup } from '../moderation';
import { MyReports } from '../reports';
import { TrainingsPanel } from '../scheduling';
import { PulsePrompt } from '../pulse';
import { OpenSurveyNotice } from '../surveys';
import { GroupForm } from './GroupForm';
import { InviteForm } from './InviteForm';

/** A cohort's home: its phase, rooms and members; coordinators manage it from here. */
export function CohortHome({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { cohorts, rooms: allRooms, me } = useAccount();
  const { t, day } = useI18n();
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const load = useResource<MemberInfo[]>(
    cohort?.role ? async () => (await http.members(cohortId, { limit: 500 })).members : null,
    [cohortId, cohort?.role, http],
    [],
  );
  const members = load.value;
  const reload = load.reload;
  if (!cohort) return <p>{t('app.loading')}</p>;
  const coordinator = cohort.role === 'coordinator';
  // Mentorship rooms are listed under Mentoring, progress rooms on the progress screen, the
  // library room is the library.
  const rooms = allRooms.filter(
    (r) => r.cohort_id === cohortId && r.kind !== 'mentorship' && r.kind !== 'progress' && r.kind !== 'library',
  );
  return (
    <>
      <h1>{cohort.name}</h1>
      <dl className="facts">
        <dt>{t('cohort.phase')}</dt>
        <dd>{t(`cohort.phase.${cohort.phase}`)}</dd>
        <dt>{t('cohort.kind')}</dt>
        <dd>{t(`cohort.kind.${cohort.kind}`)}</dd>
        <dt>{t('cohort.period')}</dt>
        <dd>{t('cohort.dates', { from: day(cohort.starts_on), to: day(cohort.ends_on) })}</dd>
        <dt>{t('cohort.yourRole')}</dt>
        <dd>{cohort.role ? t(`role.${cohort.role}`) : t('cohort.noRole')}</dd>
      </dl>
      {cohort.role && <EndOfLife cohort={cohort} />}
      {cohort.role === 'participant' && <OpenSurveyNotice cohortId={cohortId} go={go} />}
      {cohort.role === 'participant' && <OpenCheckins cohortId={cohortId} />}
      {cohort.role === 'mentor' && <HelpRequests cohortId={cohortId} />}
      {cohort.role === 'participant' && cohort.phase !== 'alumni' && <PulsePrompt cohortId={cohortId} go={go} />}
      {cohort.role && (
        <div className="actions">
          <button type="button" onClick={() => go({ kind: 'progress', id: cohortId })}>
            {t('cohort.progress')}
          </button>
          <button type="button" onClick={() => go({ kind: 'surveys', id: cohortId })}>
            {t('cohort.surveys')}
          </button>
          <button type="button" onClick={() => go({ kind: 'pulse', id: cohortId })}>
            {t('nav.pulse')}
          </button>
          <button type="button" onClick={() => go({ kind: 'library', id: cohortId })}>
            {t('nav.library')}
          </button>
          <button type="button" onClick={() => go({ kind: 'curriculum', id: cohortId })}>
            {t('cur.nav')}
          </button>
          <button type="button" onClick={() => go({ kind: 'manage', id: cohortId })}>
            {t(coordinator ? 'mod.nav' : 'mod.navMember')}
          </button>
          {coordinator && (
            <button type="button" onClick={() => go({ kind: 'reports', id: cohortId })}>
              {t('reports.openQueue')}
            </button>
          )}
        </div>
      )}
      {cohort.role && <MyReports cohortId={cohortId} />}
      {cohort.role && <PinnedResources cohortId={cohortId} onOpen={() => go({ kind: 'library', id: cohortId })} />}
      {rooms.length > 0 && (
        <section aria-labelledby="rooms-title">
          <h2 id="rooms-title">{t('cohort.rooms')}</h2>
          <ul className="list">
            {rooms.map((r) => (
              <li key={r.room_id}>
                <button type="button" className="link" onClick={() => go({ kind: 'room', id: r.room_id })}>
                  {r.name}
                </button>{' '}
                <span className="muted">({t(`room.kind.${r.kind}`)})</span> <LeaveGroup room={r} go={go} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {cohort.role && (
        <section aria-labelledby="members-title">
          <h2 id="members-title">{t('cohort.members')}</h2>
          <ErrorLine error={load.error} />
          <ul className="list members">
            {members.map((m) => (
              <MemberRow key={m.user_id} cohort={cohort} member={m} canManage={coordinator} onChanged={reload} />
            ))}
          </ul>
        </section>
      )}
      {(coordinator || (me?.is_admin ?? false)) && <InviteForm cohort={cohort} coordinator={coordinator} />}
      {coordinator && <GroupForm cohort={cohort} members={members} go={go} />}
      {cohort.role && <TrainingsPanel cohort={cohort} />}
      {cohort.role === 'participant' && <NeedsForm cohortId={cohortId} />}
      {coordinator && <MatchingPanel cohort={cohort} members={members} />}
      <LeaveCohort cohort={cohort} go={go} />
      <ArchiveCohort cohort={cohort} go={go} />
    </>
  );
}

function MemberRow(props: {
  cohort: CohortResponse;
  member: MemberInfo;
  canManage: boolean;
  onChanged: () => void;
}): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const { member, cohort } = props;
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const self = member.user_id === me?.user_id;
  const muted = member.muted_until && new Date(member.muted_until).getTime() > Date.now() ? member.muted_until : null;
  const name = localpart(member.user_id);
  const act = (work: () => Promise<void>): void => {
    void action.run(work).then((ok) => ok && props.onChanged());
  };
  return (
    <li>
      <span dir="ltr" title={member.user_id}>
        {name}
      </span>{' '}
      <span className="badge">{t(`role.${member.role}`)}</span>
      {member.organization_name && <span className="muted"> · {member.organization_name}</span>}
      {self && <span className="muted"> ({t('common.you')})</span>}
      {muted && <span className="muted"> · {t('member.muted', { time: time(muted) })}</span>}
      {props.canManage && !self && (
        <div className="actions" role="group" aria-label={t('member.actionsFor', { user: name })}>
          {muted ? (
            <button
              type="button"
              onClick={() =>
                act(() => http.updateMember(cohort.cohort_id, member.user_id, { muted_until: null }).then())
              }
            >
              {t('member.unmute')}
            </button>
          ) : (
            <button
              type="button"
              onClick={() =>
                act(() =>
                  http
                    .updateMember(cohort.cohort_id, member.user_id, {
                      muted_until: new Date(Date.now() + 24 * 3600_000).toISOString(),
                    })
                    .then(),
                )
              }
            >
              {t('member.mute')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>
            {t('member.remove')}
          </button>
          {confirming && (
            <form
              className="confirm"
              onSubmit={(e) => {
                e.preventDefault();
                act(async () => {
                  await http.removeMember(cohort.cohort_id, member.user_id, reason.trim() || undefined);
                  setConfirming(false);
                });
              }}
            >
              <p>{t('member.removeConfirm', { user: name })}</p>
              <Field label={t('member.reason')} value={reason} onChange={setReason} />
              <button type="submit" className="danger">
                {t('common.confirm')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </form>
          )}
          <ErrorLine error={action.error} />
        </div>
      )}
    </li>
  );
}
