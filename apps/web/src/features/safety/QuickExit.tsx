import { ReactNode, useEffect, useRef } from 'react';
import { useI18n } from '../../shared/i18n';
import { leaveNow } from '../../state/browser';

/** On every screen: leaves for the neutral page at once. */
export function QuickExitButton(): ReactNode {
  const { t } = useI18n();
  return (
    <button type="button" className="quick-exit" onClick={leaveNow} title={t('quickExit.hint')}>
      {t('quickExit.button')}
      <span className="visually-hidden"> — {t('quickExit.hint')}</span>
    </button>
  );
}

/** Esc twice within 1.5 s leaves at once, from anywhere, whatever has focus. */
export function useQuickExitKeys(): void {
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
