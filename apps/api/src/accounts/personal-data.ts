import { Injectable } from '@nestjs/common';
import type { AccountExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { AccountsRepository } from './accounts.repository';
import { DeviceSessionsService } from './device-sessions.service';
import { SecondFactorRepository } from './second-factor.repository';

/** The account, its sessions and whether it has a second factor: never a hash or a secret. */
@ProvidesPersonalData()
@Injectable()
export class AccountsPersonalData implements PersonalDataSource<'account'> {
  readonly part = 'account';
  readonly tables = ['users', 'devices', 'second_factors', 'recovery_codes'];

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly secondFactor: SecondFactorRepository,
    private readonly sessions: DeviceSessionsService,
  ) {}

  async collect(em: EntityManager, person: Person): Promise<AccountExport> {
    const { user, devices } = await this.accounts.personalData(em, person.userUuid);
    const factor = await this.secondFactor.personalData(em, person.userUuid);
    return {
      user_id: person.userId,
      username: user.username,
      is_admin: user.is_admin,
      created_on: user.created_on,
      second_factor: {
        totp: factor.enabled === null ? 'off' : factor.enabled ? 'on' : 'pending',
        recovery_codes_left: factor.codes,
      },
      devices: devices.map((d) => ({
        device_id: d.device_id,
        display_name: d.display_name,
        last_seen_day: d.last_seen_day,
        created_day: d.created_day,
        expires_day: this.sessions.expiresDay({ createdDay: d.created_day, lastSeenDay: d.last_seen_day }),
      })),
    };
  }
}
