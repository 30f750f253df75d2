import { createContext, useContext } from 'react';
import type { Lang, Translate } from '../i18n';

export interface I18n {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  t: Translate;
  setLang: (lang: Lang) => void;
  time: (ts: number | string) => string;
  day: (isoDate: string) => string;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('I18nContext missing');
  return i18n;
}
