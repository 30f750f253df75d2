import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionController } from '../state/session';
import { direction, Lang, LANGUAGES, saveLang, translator } from '../i18n';
import { leaveNow } from '../state/browser';
import { Welcome, Unlock } from './Auth';
import { CohortHome } from './Cohort';
import { I18n, I18nContext, useI18n } from '../shared/i18n';
import { HubContext, useAccount, useLiveNotificationCount, useSession, useVerifications } from '../state/hooks';
import { AccountView } from './Account';
import { Devices, VerificationDialog } from './Devices';
import { PanicScreen } from './PanicScreen';
import { SecondFactorRequired } from './SecondFactor';
import { Home } from './Home';
import { MentoringHome, roomLabel } from './Mentoring';
import { CalendarView } from './Schedule';
import { ProgressView } from './Progress';
import { Room } from './Room';
import { SurveysView } from './Surveys';

/** What the main area shows. Kept in memory only: the URL never says where the user is. */
export type View =
  | { kind: 'home' }
  | { kind: 'cohort'; id: string }
  | { kind: 'room'; id: string }
  | { kind: 'progress'; id: string }
  | { kind: 'surveys'; id: string }
  | { kind: 'mentoring' }
  | { kind: 'calendar' }
  | { kind: 'devices' }
  | { kind: 'account' };

export function App({ hub, initialLang }: { hub: SessionController; initialLang: Lang }): ReactNode {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo<I18n>(() => {
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      lang,
      dir: direction(lang),
      t: translator(lang),
      setLang: (l) => {
        saveLang(l);
        setLangState(l);
      },
      time: (ts) => dateTime.format(new Date(ts)),
      day: (iso) => date.format(new Date(`${iso}T00:00:00Z`)),
    };
  }, [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = i18n.dir;
  }, [lang, i18n.dir]);
  useQuickExitKeys();
  return (
    <HubContext.Provider value={hub}>
      <I18nContext.Provider value={i18n}>
        <Screens />
      </I18nContext.Provider>
    </HubContext.Provider>
  );
}

/** Esc twice within 1.5 s leaves at once, from anywhere, whatever has focus. */
function useQuickExitKeys(): void {
  const last = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      const now = performance.now();
      if (now - last.current < 1500) leaveNow();
      last.current = now;
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

function Screens(): ReactNode {
  const { phase } = useSession();
  const { t } = useI18n();
  let content: ReactNode;
  switch (phase) {
    case 'loading':
      content = <p className="centered">{t('app.loading')}</p>;
      break;
    case 'opening':
      content = (
        <p className="centered" role="status">
          {t('app.preparingCrypto')}
        </p>
      );
      break;
    case 'welcome':
      content = <Welcome />;
      break;
    case 'unlock':
      content = <Unlock />;
      break;
    case 'secondFactorSetup':
      content = <SecondFactorRequired />;
      break;
    case 'panicked':
      content = <PanicScreen />;
      break;
    case 'ready':
      return <Shell />;
  }
  return (
    <>
      <TopBar />
      {content}
    </>
  );
}

function LanguageSwitcher(): ReactNode {
  const { t, lang, setLang } = useI18n();
  return (
    <label className="lang">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select aria-label={t('lang.label')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function QuickExitButton(): ReactNode {
  const { t } = useI18n();
  return (
    <button type="button" className="quick-exit" onClick={leaveNow} title={t('quickExit.hint')}>
      {t('quickExit.button')}
      <span className="visually-hidden"> — {t('quickExit.hint')}</span>
    </button>
  );
}

function TopBar({ onMenu, menuOpen }: { onMenu?: () => void; menuOpen?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <header className="topbar">
      {/* Moves focus without a URL fragment: nothing may add a history entry (quick exit). */}
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      {onMenu && (
        <button type="button" className="menu" aria-expanded={menuOpen} aria-controls="nav" onClick={onMenu}>
          {t('nav.menu')}
        </button>
      )}
      <span className="brand">{t('app.name')}</span>
      <LanguageSwitcher />
      <QuickExitButton />
    </header>
  );
}

function Shell(): ReactNode {
  const { connection } = useSession();
  const account = useAccount();
  const { cohorts, rooms } = account;
  const open = useVerifications();
  const notifications = useLiveNotificationCount();
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
  return (
    <>
      <TopBar onMenu={() => setMenuOpen(!menuOpen)} menuOpen={menuOpen} />
      {connection === 'offline' && (
        <p className="banner" role="status">
          {t('conn.offline')}
        </p>
      )}
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
                    </>
                  )}
                  {/* Mentorship rooms are listed under Mentoring; progress rooms open from Progress. */}
                  {rooms
                    .filter((r) => r.cohort_id === c.cohort_id && r.kind !== 'mentorship' && r.kind !== 'progress')
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
          {view.kind === 'mentoring' && <MentoringHome go={go} />}
          {view.kind === 'calendar' && <CalendarView />}
          {view.kind === 'devices' && <Devices />}
          {view.kind === 'account' && <AccountView />}
        </main>
      </div>
      {open.map((v) => (
        <VerificationDialog key={v.flowId} v={v} />
      ))}
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
