import { ReactNode, useEffect, useMemo, useState } from 'react';
import { direction, Lang, saveLang, translator } from '../i18n';
import { I18n, I18nContext, useI18n } from '../shared/i18n';
import { HubContext, useSession } from '../state/hooks';
import type { SessionController } from '../state/session';
import { SecondFactorRequired, Unlock, Welcome } from '../features/auth';
import { PanicScreen, useQuickExitKeys } from '../features/safety';
import { Shell } from './Shell';
import { TopBar } from './TopBar';

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
