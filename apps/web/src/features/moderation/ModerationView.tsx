import { MemberInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { View } from '../../app/navigation';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useAccount, useSession } from '../../state/hooks';
import { AuditPanel } from './AuditPanel';
import { HubError } from './confirm';
import { GroupsPanel } from './GroupsPanel';
import { InvitesPanel } from './InvitesPanel';
import { MembersPanel } from './MembersPanel';
import { MentorshipsPanel } from './MentorshipsPanel';
import { PhasePanel } from './PhasePanel';

const TABS = ['members', 'invites', 'groups', 'mentorships', 'audit', 'phase'] as const;
type Tab = (typeof TABS)[number];

/**
 * A cohort's coordinator area: members and roles, invites, working groups, mentorships, the
 * audit log and the phase, one tab each. Anyone else who opens it reads the audit entries about them.
 */
export function ModerationView({ cohortId }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { http } = useSession();
  const { cohorts } = useAccount();
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('members');
  const cohort = cohorts.find((c) => c.cohort_id === cohortId);
  const coordinator = cohort?.role === 'coordinator';
  const members = useResource<MemberInfo[]>(
    coordinator ? async () => (await http.members(cohortId, { limit: 500 })).members : null,
    [cohortId, coordinator, http],
    [],
  );
  if (!cohort) return <p>{t('app.loading')}</p>;
  if (!coordinator) {
    return (
      <>
        <h1>{cohort.name}</h1>
        <AuditPanel cohortId={cohortId} members={null} />
      </>
    );
  }
  return (
    <>
      <h1>{t('mod.title', { cohort: cohort.name })}</h1>
      <div className="tabs" role="tablist" aria-label={t('mod.tabs')}>
        {TABS.map((k) => (
          <button
            key={k}
            id={`mod-tab-${k}`}
            role="tab"
            type="button"
            aria-selected={tab === k}
            aria-controls="mod-panel"
            className={tab === k ? 'tab active' : 'tab'}
            onClick={() => setTab(k)}
          >
            {t(`mod.tab.${k}`)}
          </button>
        ))}
      </div>
      <div id="mod-panel" role="tabpanel" aria-labelledby={`mod-tab-${tab}`}>
        <HubError error={members.error} />
        {tab === 'members' && <MembersPanel cohort={cohort} members={members.value} onChanged={members.reload} />}
        {tab === 'invites' && <InvitesPanel cohort={cohort} />}
        {tab === 'groups' && <GroupsPanel cohort={cohort} members={members.value} />}
        {tab === 'mentorships' && <MentorshipsPanel cohort={cohort} />}
        {tab === 'audit' && <AuditPanel cohortId={cohortId} members={members.value} />}
        {tab === 'phase' && <PhasePanel cohort={cohort} />}
      </div>
    </>
  );
}
