import { DataSource, DataSourceOptions } from 'typeorm';
import { DeviceEntity } from '../accounts/device.entity';
import { UserEntity } from '../accounts/user.entity';
import { InviteEntity } from '../invites/invite.entity';
import { EmbeddedDatabase } from './embedded';
import { Accounts1763700000000 } from './migrations/1763700000000-accounts';
import { Cohorts1763800000000 } from './migrations/1763800000000-cohorts';
import { Messaging1763900000000 } from './migrations/1763900000000-messaging';
import { Mentoring1764000000000 } from './migrations/1764000000000-mentoring';
import { Scheduling1764100000000 } from './migrations/1764100000000-scheduling';
import { Progress1764200000000 } from './migrations/1764200000000-progress';
import { Security1764300000000 } from './migrations/1764300000000-security';
import { AccountData1764400000000 } from './migrations/1764400000000-account-data';
import { Media1764500000000 } from './migrations/1764500000000-media';
import { Library1764600000000 } from './migrations/1764600000000-library';
import { ReportEvidence1764700000000 } from './migrations/1764700000000-report-evidence';
import { Participation1764720000000 } from './migrations/1764720000000-participation';
import { Retention1764730000000 } from './migrations/1764730000000-retention';
import { CohortLifecycle1764740000000 } from './migrations/1764740000000-cohort-lifecycle';
import { Metadata1764750000000 } from './migrations/1764750000000-metadata';
import { Curriculum1764760000000 } from './migrations/1764760000000-curriculum';
import { Followups1764770000000 } from './migrations/1764770000000-followups';
import { Pulse1764780000000 } from './migrations/1764780000000-pulse';
import { TrainingDomain1764790000000 } from './migrations/1764790000000-training-domain';

export const ENTITIES = [UserEntity, DeviceEntity, InviteEntity];
export const MIGRATIONS = [
  Accounts1763700000000,
  Cohorts1763800000000,
  Messaging1763900000000,
  Mentoring1764000000000,
  Scheduling1764100000000,
  Progress1764200000000,
  Security1764300000000,
  AccountData1764400000000,
  Media1764500000000,
  Library1764600000000,
  ReportEvidence1764700000000,
  Participation1764720000000,
  Retention1764730000000,
  CohortLifecycle1764740000000,
  Metadata1764750000000,
  Curriculum1764760000000,
  Followups1764770000000,
  Pulse1764780000000,
  TrainingDomain1764790000000,
];

/** Where the data lives: a PostgreSQL server, or the embedded database's socket. */
export type DatabaseTarget = { url: string } | { embedded: EmbeddedDatabase };

export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Never 'query' or 'error': TypeORM would print parameters (hashes, tokens, ciphertext).
    logging: ['migration' as const],
  };
  if ('url' in target) {
    return { ...common, url: target.url, extra: { max: 10, connectionTimeoutMillis: 10_000 } };
  }
  return {
    ...common,
    host: target.embedded.socketDir,
    port: target.embedded.socketPort,
    username: 'postgres',
    database: 'postgres',
    // A pool of one: PGlite is a single session, so transactions must take turns (embedded.ts).
    // A query made outside its transaction's EntityManager would wait for the pool forever:
    // the timeout turns that bug into an error instead of a hang.
    extra: { max: 1, connectionTimeoutMillis: 15_000 },
  };
}

export async function openDataSource(target: DatabaseTarget): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(target));
  await dataSource.initialize();
  return dataSource;
}
