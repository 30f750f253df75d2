import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DueReminder, NewReminder } from './notification-rows';
import { NotificationsRepository } from './notifications.repository';

/**
 * Reminder jobs, for the features whose times people are reminded of (coaching sessions,
 * trainings): set and dropped in the caller's transaction, and fired by scheduling's worker,
 * which turns them into notifications.
 */
@Injectable()
export class RemindersService {
  constructor(private readonly repo: NotificationsRepository) {}

  /** Each user's reminder offsets (the default for those who never chose). */
  settingsOf(em: EntityManager, userUuids: string[]): Promise<Map<string, number[]>> {
    return this.repo.settingsOf(em, userUuids);
  }

  addReminders(em: EntityManager, rows: NewReminder[]): Promise<void> {
    return this.repo.addReminders(em, rows);
  }

  /** Unfired reminders of a thing go when it is cancelled or moved. */
  dropReminders(em: EntityManager, refPrefix: string): Promise<void> {
    return this.repo.dropReminders(em, refPrefix);
  }

  /** Due reminders taken for this transaction and marked fired (each by exactly one node). */
  claimDue(em: EntityManager, limit: number, now: Date): Promise<DueReminder[]> {
    return this.repo.claimDue(em, limit, now);
  }

  /** Of claimed training reminders, those whose person is no longer in the training's cohort. */
  strangers(em: EntityManager, due: DueReminder[]): Promise<Set<string>> {
    return this.repo.strangers(em, due);
  }
}
