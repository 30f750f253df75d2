import type { HearthClient, SecureSession } from '@hearth/client';
import type { CohortResponse, MeResponse, MentorshipInfo, RoomInfo } from '@hearth/protocol';
import { Store } from './store';

/** A room of the user; `left` when they were removed while this page was open. */
export interface KnownRoom extends RoomInfo {
  left: boolean;
}

export interface AccountState {
  me: MeResponse | null;
  cohorts: readonly CohortResponse[];
  rooms: readonly KnownRoom[];
  /** Active mentorships, to name their rooms after the other person. */
  mentorships: readonly MentorshipInfo[];
  /**
   * Progress rooms (all named "Progress" by the hub) → whose progress they hold, as the progress
   * screen learnt it: a name, or null for the user's own.
   */
  progressRooms: ReadonlyMap<string, string | null>;
}

/** What the store asks of the hub. */
export type AccountApi = Pick<HearthClient, 'me' | 'cohorts' | 'rooms' | 'mentorships'>;
/** What the store asks of the crypto session: which rooms the sync stream has seen, and left. */
export type RoomsSeen = Pick<SecureSession, 'hasLeft' | 'leftByChoice' | 'knownRooms'>;
/** What refreshing asks of the crypto session. */
type RefreshSession = Pick<SecureSession, 'hasLeft' | 'leftByChoice'> & Partial<Pick<SecureSession, 'forgetRooms'>>;

const EMPTY: AccountState = { me: null, cohorts: [], rooms: [], mentorships: [], progressRooms: new Map() };

/** Who the user is, their cohorts, rooms and mentorships: the menu and most screens read these. */
export class AccountStore extends Store<AccountState> {
  private refreshing: Promise<void> | null = null;
  private seq = 0;

  constructor() {
    super(EMPTY);
  }

  /**
   * Reloads who the user is, their cohorts and rooms. Each call fetches afresh (a call made after
   * creating a room must see it); only the latest answer is applied.
   */
  async refresh(http: AccountApi, session: RefreshSession | null): Promise<void> {
    const seq = ++this.seq;
    const work = (async () => {
      const [me, cohorts, rooms, mentorships] = await Promise.all([
        http.me(),
        http.cohorts(),
        http.rooms(),
        http.mentorships({ status: 'active', limit: 500 }),
      ]);
      if (seq !== this.seq) return;
      const state = this.getSnapshot();
      const current = new Set(rooms.rooms.map((r) => r.room_id));
      // Rooms one was removed from stay, marked left; rooms one left by choice are forgotten.
      const kept = state.rooms.filter(
        (r) => !current.has(r.room_id) && session?.hasLeft(r.room_id) && !session.leftByChoice(r.room_id),
      );
      // A cohort that is gone was purged (leaving one arrives as leaves): its rooms are forgotten.
      const cohortIds = new Set(cohorts.cohorts.map((c) => c.cohort_id));
      const purged = state.rooms.filter(
        (r) => !current.has(r.room_id) && !cohortIds.has(r.cohort_id) && !session?.hasLeft(r.room_id),
      );
      if (purged.length > 0) session?.forgetRooms?.(purged.map((r) => r.room_id));
      this.set({
        ...state,
        me,
        cohorts: cohorts.cohorts,
        mentorships: mentorships.mentorships,
        rooms: [...rooms.rooms.map((r) => ({ ...r, left: false })), ...kept.map((r) => ({ ...r, left: true }))],
      });
    })();
    this.refreshing = work;
    try {
      await work;
    } finally {
      if (this.refreshing === work) this.refreshing = null;
    }
  }

  /** A room appeared or was left in the sync stream: the room list follows. */
  noticeRooms(http: AccountApi, session: RoomsSeen): void {
    const { rooms } = this.getSnapshot();
    let stale = false;
    for (const r of rooms) if (!r.left && session.hasLeft(r.room_id)) stale = true;
    for (const roomId of session.knownRooms()) if (!rooms.some((r) => r.room_id === roomId)) stale = true;
    if (stale && !this.refreshing) void this.refresh(http, session).catch(() => undefined);
  }

  /** Held at the second factor's setup: only the account itself can be read. */
  setMe(me: MeResponse | null): void {
    this.set({ ...this.getSnapshot(), me });
  }

  /** The progress screen learnt whose progress these rooms hold (null: the user's own). */
  nameProgressRooms(names: Iterable<readonly [string, string | null]>): void {
    const state = this.getSnapshot();
    let next: Map<string, string | null> | null = null;
    for (const [roomId, name] of names) {
      if (state.progressRooms.has(roomId) && state.progressRooms.get(roomId) === name) continue;
      next ??= new Map(state.progressRooms);
      next.set(roomId, name);
    }
    if (next) this.set({ ...state, progressRooms: next });
  }

  clear(): void {
    this.seq++; // an answer still on its way belongs to the account that is gone
    this.set(EMPTY);
  }
}
