import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PersonalDataExport, PersonalDataParts } from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { Person, PersonalDataSource, ProvidesPersonalData } from '../common/personal-data';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';

/**
 * "What the hub knows about me" (the right of access): every part that a feature module gives
 * through a PersonalDataSource, read in one snapshot. Nothing here knows what a part holds, so a
 * module that keeps something new about people says so where it keeps it.
 */
@Injectable()
export class PersonalDataService implements OnApplicationBootstrap {
  private found: PersonalDataSource[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly tx: Transactions,
    private readonly limits: RateLimitService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery
      .getProviders({ metadataKey: ProvidesPersonalData.KEY })
      .map((wrapper) => wrapper.instance as PersonalDataSource);
    const sources = [...new Set(instances)];
    const parts = new Set(sources.map((s) => s.part));
    // Two modules filling one part would overwrite each other: a programming error, found at start.
    if (parts.size !== sources.length) throw new Error('two personal data sources give the same part');
    this.found = sources.sort((a, b) => a.part.localeCompare(b.part));
  }

  /** Every source the running hub has (the coverage test reads their tables). */
  get sources(): readonly PersonalDataSource[] {
    return this.found;
  }

  async export(auth: AuthContext): Promise<PersonalDataExport> {
    await this.limits.consume('dataExport', auth);
    const person: Person = { userUuid: auth.userUuid, userId: auth.userId };
    const parts: Record<string, unknown> = {};
    const tables: Record<string, string[]> = {};
    await this.tx.snapshot(async (em) => {
      // One after another: a transaction is one connection.
      for (const source of this.found) {
        parts[source.part] = await source.collect(em, person);
        tables[source.part] = [...source.tables];
      }
    });
    return {
      user_id: auth.userId,
      exported_at: new Date(nowOf(this.config)).toISOString(),
      // Filled by the sources, one per key of PersonalDataParts (the export test checks every key).
      parts: parts as unknown as PersonalDataParts,
      tables,
    };
  }
}
