import { ReactNode } from 'react';
import { Lang, LANGUAGES } from '../i18n';
import { useI18n } from '../shared/i18n';
import { QuickExitButton } from '../features/safety';

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

export function TopBar({ onMenu, menuOpen }: { onMenu?: () => void; menuOpen?: boolean }): ReactNode {
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
