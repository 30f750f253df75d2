import { Injectable } from '@nestjs/common';
import type { NotificationsExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { NotificationsRepository } from './notifications.repository';

/** A person's stored notifications, their reminder settings and the reminders waiting to fire. */
@ProvidesPersonalData()
@Injectable()
export class NotificationsPersonalData implements PersonalDataSource<'notifications'> {
  readonly part = 'notifications';
  readonly tables = ['notifications', 'notification_settings', 'reminders'];

  constructor(private readonly repo: NotificationsRepository) {}

  async collect(em: EntityManager, person: Person): Promise<NotificationsExport> {
    const settings = await this.repo.chosenSettings(em, person.userUuid);
    const notifications = await this.repo.allOf(em, person.userUuid);
    const reminders = await this.repo.remindersOf(em, person.userUuid);
    return {
      reminder_minutes: settings,
      notifications: notifications.map((n) => ({
        notification_id: n.id,
        type: n.type,
        data: n.data,
        created_at: n.created_at.toISOString(),
        read_at: n.read_at ? n.read_at.toISOString() : null,
      })),
      reminders: reminders.map((r) => ({
        ref: r.ref,
        minutes_before: r.minutes_before,
        starts_at: r.starts_at.toISOString(),
        fire_at: r.fire_at.toISOString(),
        fired_at: r.fired_at ? r.fired_at.toISOString() : null,
      })),
    };
  }
}
