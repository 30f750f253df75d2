/**
 * Schedule texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const scheduleEn = {} as const;

type Keys = keyof typeof scheduleEn;

export const scheduleAr: Record<Keys, string> = {};

export const scheduleEs: Record<Keys, string> = {};
