import type { HearthNotification } from '@hearth/protocol';
import { Store } from './store';

export interface NotificationsState {
  /** Notifications pushed since the app opened (newest first), shown until seen. */
  live: readonly HearthNotification[];
  /** Grows with every pushed notification: views holding sessions or calendars reload on it. */
  version: number;
}

/** What the hub pushed while this page was open: the menu's count, and a reason to reload. */
export class NotificationsStore extends Store<NotificationsState> {
  constructor() {
    super({ live: [], version: 0 });
  }

  push(n: HearthNotification): void {
    const { live, version } = this.getSnapshot();
    // A session booked or moved, a mentorship's room: the lists shown may have changed.
    this.set({ live: [n, ...live].slice(0, 20), version: version + 1 });
  }

  /** The calendar view showed the notifications: the menu stops counting them. */
  seen(): void {
    const state = this.getSnapshot();
    if (state.live.length === 0) return;
    this.set({ ...state, live: [] });
  }
}
