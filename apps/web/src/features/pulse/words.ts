import { PULSE_QUESTIONS, PulseQuestion } from '@hearth/protocol';
import type { Lang, MessageKey, Translate } from '../../i18n';

export const QUESTIONS: readonly PulseQuestion[] = PULSE_QUESTIONS;
export const POINTS = [1, 2, 3, 4, 5] as const;

/** The question's text, the client's own (the hub knows only its id). */
export function questionText(t: Translate, id: string): string {
  return (PULSE_QUESTIONS as readonly string[]).includes(id) ? t(`pulse.q.${id}` as MessageKey) : id;
}

/** The words for one point of a question's 1–5 scale. */
export function answerLabel(t: Translate, id: PulseQuestion, point: number): string {
  return t(`pulse.a.${id}.${point}` as MessageKey);
}

/** `YYYY-MM` as the reader says a month ("March 2027", "مارس 2027"). */
export function monthName(lang: Lang, month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 15),
  );
}

/** A person's name as text inside a sentence, isolated so it keeps its own direction. */
export function isolate(name: string): string {
  return `\u2068${name}\u2069`;
}
