/**
 * Moderation texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const moderationEn = {} as const;

type Keys = keyof typeof moderationEn;

export const moderationAr: Record<Keys, string> = {};

export const moderationEs: Record<Keys, string> = {};
