/**
 * Retention texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const retentionEn = {} as const;

type Keys = keyof typeof retentionEn;

export const retentionAr: Record<Keys, string> = {};

export const retentionEs: Record<Keys, string> = {};
