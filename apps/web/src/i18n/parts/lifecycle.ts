/**
 * Lifecycle texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const lifecycleEn = {} as const;

type Keys = keyof typeof lifecycleEn;

export const lifecycleAr: Record<Keys, string> = {};

export const lifecycleEs: Record<Keys, string> = {};
