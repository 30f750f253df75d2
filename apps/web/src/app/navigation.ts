/** What the main area shows. Kept in memory only: the URL never says where the user is. */
export type View =
  | { kind: 'home' }
  | { kind: 'cohort'; id: string }
  | { kind: 'room'; id: string }
  | { kind: 'progress'; id: string }
  | { kind: 'surveys'; id: string }
  | { kind: 'pulse'; id: string }
  | { kind: 'library'; id: string }
  | { kind: 'curriculum'; id: string }
  | { kind: 'manage'; id: string }
  | { kind: 'reports'; id: string }
  | { kind: 'mentoring' }
  | { kind: 'calendar' }
  | { kind: 'devices' }
  | { kind: 'account' }
  | { kind: 'privacy' };
