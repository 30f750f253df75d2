import { Injectable } from '@nestjs/common';
import type { KeysExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { BackupRepository } from './backup.repository';
import { KeysRepository } from './keys.repository';

/**
 * A person's public keys and key backup, counted: the keys are public and say nothing more, and
 * the backed-up room keys are ciphertext. To-device queues are left out on purpose (the test of
 * the export names them): ciphertext in transit, deleted once delivered.
 */
@ProvidesPersonalData()
@Injectable()
export class KeysPersonalData implements PersonalDataSource<'keys'> {
  readonly part = 'keys';
  readonly tables = [
    'device_keys',
    'one_time_keys',
    'fallback_keys',
    'cross_signing_keys',
    'room_key_versions',
    'room_keys',
  ];

  constructor(
    private readonly keys: KeysRepository,
    private readonly backup: BackupRepository,
  ) {}

  async collect(em: EntityManager, person: Person): Promise<KeysExport> {
    return {
      devices: await this.keys.keyCountsOf(em, person.userUuid),
      cross_signing: await this.keys.crossSigningTypesOf(em, person.userUuid),
      backups: await this.backup.versionsOf(em, person.userUuid),
    };
  }
}
