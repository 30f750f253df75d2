import { ReactNode, useRef, useState } from 'react';
import { AccountView } from '../features/account';
import { Room, roomLabel } from '../features/chat';
import { CohortHome, Home } from '../features/cohorts';
import { CurriculumView } from '../features/curriculum';
import { Devices, VerificationDialog } from '../features/devices';
import { LibraryView } from '../features/library';
import { MentoringHome } from '../features/mentoring';
import { ModerationView } from '../features/moderation';
import { PrivacyView } from '../features/privacy';
import { ProgressView } from '../features/progress';
import { ReportsQueue } from '../features/reports';
import { CalendarView } from '../features/scheduling';
import { BackupOffer, ConfirmIdentity, RecoveryKeyDialog } from '../features/security';
import { PulseView } from '../features/pulse';
import { SurveysView } from '../features/surveys';
import { useI18n } from '../shared/i18n';
import { useAccount, useLiveNotificationCount, useSecurity, useSession, useVerifications } from '../state/hooks';
import type { View } from './navigation';
import { TopBar } from './TopBar';

/** The app once open: the top bar, the menu, the main area, and verification dialogs over them. */
export function Shell(): ReactNode {
  const { connection } = useSession();
  const account = useAccount();
  const { cohorts, rooms } = account;
  const open = useVerifications();
  const notifications = useLiveNotificationCount();
  const { trusted } = useSecurity();
  const { t } = useI18n();
  const [view, setView] = useState<View>({ kind: 'home' });
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const go = (v: View): void => {
    setView(v);
    setMenuOpen(false);
    // Keyboard and screen-reader users land on the new content.
    requestAnimationFrame(() => mainRef.current?.focus());
  };
  const current = (v: View): boolean => JSON.stringify(v) === JSON.stringify(view);
  const dialogs = (
    <>
      {open.map((v) => (
        <VerificationDialog key={v.flowId} v={v} />
      ))}
      <RecoveryKeyDialog />
    </>
  );
  // A device its owner has not confirmed gets no room key: it is confirmed before anything else.
  if (trusted === false) {
    return (
      <>
        <TopBar />
        <ConfirmIdentity />
        {dialogs}
      </>
    );
  }
  return (
    <>
      <TopBar onMenu={() => setMenuOpen(!menuOpen)} menuOpen={menuOpen} />
      {connection === 'offline' && (
        <p className="banner" role="status">
          {t('conn.offline')}
        </p>
      )}
      <BackupOffer
        onSetUp={() => {
          go({ kind: 'devices' });
          requestAnimationFrame(() => document.getElementById('secure-backup')?.scrollIntoView());
        }}
      />
      <div className="layout">
        <nav id="nav" className={menuOpen ? 'nav open' : 'nav'} aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavButton active={current({ kind: 'home' })} onClick={() => go({ kind: 'home' })}>
                {t('nav.home')}
              </NavButton>
            </li>
            {cohorts.map((c) => (
              <li key={c.cohort_id}>
                <NavButton
                  active={current({ kind: 'cohort', id: c.cohort_id })}
                  onClick={() => go({ kind: 'cohort', id: c.cohort_id })}
                >
                  {c.name}
                </NavButton>
                <ul>
                  {c.role && (
                    <>
                      <li>
                        <NavButton
                          active={current({ kind: 'progress', id: c.cohort_id })}
                          onClick={() => go({ kind: 'progress', id: c.cohort_id })}
                        >
                          {t('nav.progress')}
                        </NavButton>
                      </li>
                      <li>
                        <NavButton
                          active={current({ kind: 'surveys', id: c.cohort_id })}
                          onClick={() => go({ kind: 'surveys', id: c.cohort_id })}
                        >
                          {t('nav.surveys')}
                        </NavButton>
                      </li>
                      <li>
                        <NavButton
                          active={current({ kind: 'pulse', id: c.cohort_id })}
                          onClick={() => go({ kind: 'pulse', id: c.cohort_id })}
                        >
                          {t('nav.pulse')}
                        </NavButton>
                      </li>
                      <li>
                        <NavButton
                          active={current({ kind: 'library', id: c.cohort_id })}
                          onClick={() => go({ kind: 'library', id: c.cohort_id })}
                        >
                          {t('nav.library')}
                        </NavButton>
                      </li>
                      <li>
                        <NavButton
                          active={current({ kind: 'curriculum', id: c.cohort_id })}
                          onClick={() => go({ kind: 'curriculum', id: c.cohort_id })}
                        >
                          {t('cur.nav')}
                        </NavButton>
                      </li>
                      <li>
                        <NavButton
                          active={current({ kind: 'manage', id: c.cohort_id })}
                          onClick={() => go({ kind: 'manage', id: c.cohort_id })}
                        >
                          {t(c.role === 'coordinator' ? 'mod.nav' : 'mod.navMember')}
                        </NavButton>
                      </li>
                    </>
                  )}
                  {/* Mentorship rooms are listed under Mentoring, progress rooms open from Progress, the library room is the Library. */}
                  {rooms
                    .filter(
                      (r) =>
                        r.cohort_id === c.cohort_id &&
                        r.kind !== 'mentorship' &&
                        r.kind !== 'progress' &&
                        r.kind !== 'library',
                    )
                    .map((r) => (
                      <li key={r.room_id}>
                        <NavButton
                          active={current({ kind: 'room', id: r.room_id })}
                          onClick={() => go({ kind: 'room', id: r.room_id })}
                        >
                          # {r.name}
                        </NavButton>
                      </li>
                    ))}
                </ul>
              </li>
            ))}
            <li>
              <NavButton active={current({ kind: 'mentoring' })} onClick={() => go({ kind: 'mentoring' })}>
                {t('nav.mentoring')}
              </NavButton>
              <ul>
                {rooms
                  .filter((r) => r.kind === 'mentorship')
                  .map((r) => (
                    <li key={r.room_id}>
                      <NavButton
                        active={current({ kind: 'room', id: r.room_id })}
                        onClick={() => go({ kind: 'room', id: r.room_id })}
                      >
                        # {roomLabel(account, t, r)}
                      </NavButton>
                    </li>
                  ))}
              </ul>
            </li>
            <li>
              <NavButton active={current({ kind: 'calendar' })} onClick={() => go({ kind: 'calendar' })}>
                {t('nav.calendar')}
                {notifications > 0 && <span className="badge">{notifications}</span>}
              </NavButton>
            </li>
            <li>
              <NavButton active={current({ kind: 'devices' })} onClick={() => go({ kind: 'devices' })}>
                {t('nav.devices')}
              </NavButton>
            </li>
            <li>
              <NavButton active={current({ kind: 'account' })} onClick={() => go({ kind: 'account' })}>
                {t('nav.account')}
              </NavButton>
            </li>
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className={view.kind === 'room' ? 'main chat' : 'main'}>
          {view.kind === 'home' && <Home go={go} />}
          {/* Keyed: nothing typed or created in one room or cohort carries over to another. */}
          {view.kind === 'cohort' && <CohortHome key={view.id} cohortId={view.id} go={go} />}
          {view.kind === 'room' && <Room key={view.id} roomId={view.id} />}
          {view.kind === 'progress' && <ProgressView key={view.id} cohortId={view.id} go={go} />}
          {view.kind === 'surveys' && <SurveysView key={view.id} cohortId={view.id} />}
          {view.kind === 'pulse' && <PulseView key={view.id} cohortId={view.id} go={go} />}
          {view.kind === 'library' && <LibraryView key={view.id} cohortId={view.id} />}
          {view.kind === 'curriculum' && <CurriculumView key={view.id} cohortId={view.id} />}
          {view.kind === 'manage' && <ModerationView key={view.id} cohortId={view.id} go={go} />}
          {view.kind === 'reports' && <ReportsQueue key={view.id} cohortId={view.id} />}
          {view.kind === 'mentoring' && <MentoringHome go={go} />}
          {view.kind === 'calendar' && <CalendarView />}
          {view.kind === 'devices' && <Devices />}
          {view.kind === 'account' && <AccountView go={go} />}
          {view.kind === 'privacy' && <PrivacyView go={go} />}
        </main>
      </div>
      {dialogs}
    </>
  );
}

function NavButton(props: { active: boolean; onClick: () => void; children: ReactNode }): ReactNode {
  return (
    <button
      type="button"
      className={props.active ? 'nav-item active' : 'nav-item'}
      aria-current={props.active ? 'page' : undefined}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
