import { Injectable } from '@nestjs/common';
import type { AccountDataExport } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { AccountDataRepository } from './account-data.repository';

/** The types of account data a person keeps; the contents are their clients' ciphertext. */
@ProvidesPersonalData()
@Injectable()
export class AccountDataPersonalData implements PersonalDataSource<'account_data'> {
  readonly part = 'account_data';
  readonly tables = ['account_data'];

  constructor(private readonly repo: AccountDataRepository) {}

  async collect(em: EntityManager, person: Person): Promise<AccountDataExport> {
    return { types: await this.repo.types(em, person.userUuid) };
  }
}
