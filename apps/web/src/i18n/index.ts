import { ar } from './ar';
import { Catalogue, en, MessageKey } from './en';
import { es } from './es';

export type { MessageKey } from './en';

export type Lang = 'en' | 'ar' | 'es';

export const LANGUAGES: { code: Lang; name: string; dir: 'ltr' | 'rtl' }[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'es', name: 'Español', dir: 'ltr' },
];

const CATALOGUES: Record<Lang, Catalogue> = { en, ar, es };
const STORAGE_KEY = 'hearth.lang';

export function isLang(value: string): value is Lang {
  return value === 'en' || value === 'ar' || value === 'es';
}

/** The saved choice, else the browser's first supported language, else English. */
export function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && isLang(saved)) return saved;
  for (const tag of navigator.languages) {
    const base = tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
}

export function direction(lang: Lang): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? 'ltr';
}

/** Whether a key made at run time (a field name the hub sent) is in the catalogues. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, vars) => {
    const text = catalogue[key] ?? en[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}
