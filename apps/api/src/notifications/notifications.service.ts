import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  HearthNotification,
  NotificationSettings,
  NotificationsResponse,
  NotificationType,
} from '@hearth/protocol';
import { EntityManager } from 'typeorm';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { Page } from '../common/http/page';
import { Notifier } from '../stream/notifier';
import { Transactions } from '../stream/transactions';
import { NotificationRow } from './notification-rows';
import { NotificationsRepository } from './notifications.repository';

export function toNotification(r: NotificationRow): HearthNotification {
  return {
    notification_id: r.id,
    type: r.type,
    data: r.data,
    created_at: r.created_at.toISOString(),
    read: r.read_at !== null,
  };
}

/**
 * Notifications are stored first, in the caller's transaction, and pushed to live connections
 * after the commit: a person offline finds them in `GET /notifications`.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly notifier: Notifier,
    private readonly tx: Transactions,
  ) {}

  async notify(
    em: EntityManager,
    items: { userUuid: string; type: NotificationType; data: NotificationRow['data'] }[],
  ): Promise<void> {
    const rows = await this.repo.insert(em, items);
    if (rows.length === 0) return;
    this.tx.afterCommit(em, () =>
      this.notifier.notify(rows.map((r) => ({ userUuid: r.user_id, notification: toNotification(r) }))),
    );
  }

  /**
   * Like `notify` for one person, unless they have not read the same notice yet (same type,
   * same data): a request made twice tells them once. True when a notification was added.
   */
  async notifyOnce(
    em: EntityManager,
    item: { userUuid: string; type: NotificationType; data: NotificationRow['data'] },
  ): Promise<boolean> {
    if (await this.repo.hasUnread(em, item.userUuid, item.type, item.data)) return false;
    await this.notify(em, [item]);
    return true;
  }

  async list(auth: AuthContext, page: Page): Promise<NotificationsResponse> {
    let before: string | null = null;
    if (page.from !== undefined) {
      if (!/^\d{1,15}$/.test(page.from)) throw new HearthException(ErrorCode.InvalidParam, 'from is not a valid token');
      before = page.from;
    }
    const rows = await this.repo.list(auth.userUuid, before, page.limit + 1);
    const shown = rows.slice(0, page.limit);
    return {
      notifications: shown.map(toNotification),
      ...(rows.length > page.limit ? { next: shown[shown.length - 1].id } : {}),
    };
  }

  async markRead(auth: AuthContext, upTo: string): Promise<void> {
    await this.repo.markRead(auth.userUuid, upTo);
  }

  async settings(auth: AuthContext): Promise<NotificationSettings> {
    return { reminder_minutes: await this.repo.settings(auth.userUuid) };
  }

  /** Applies to reminders scheduled from now on; those already scheduled keep their times. */
  async putSettings(auth: AuthContext, minutes: number[]): Promise<NotificationSettings> {
    const sorted = [...new Set(minutes)].sort((a, b) => b - a);
    await this.repo.putSettings(auth.userUuid, sorted);
    return { reminder_minutes: sorted };
  }
}
