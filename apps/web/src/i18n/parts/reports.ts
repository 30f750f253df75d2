/**
 * Reports texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const reportsEn = {} as const;

type Keys = keyof typeof reportsEn;

export const reportsAr: Record<Keys, string> = {};

export const reportsEs: Record<Keys, string> = {};
