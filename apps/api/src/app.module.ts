import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccountsModule } from './accounts/accounts.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { AuthGuard } from './common/auth/auth.guard';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { createValidationPipe } from './common/errors/validation';
import { WellFormedInputPipe } from './common/http/well-formed.pipe';
import { NoBodyInterceptor } from './common/http/no-body.interceptor';
import { HUB_CONFIG, HubConfig } from './config/config';
import { HealthModule } from './health/health.module';
import { Lifecycle } from './health/lifecycle';
import { REDIS, RedisClient } from './redis/redis';
import { KeysModule } from './keys/keys.module';
import { LibraryModule } from './library/library.module';
import { CurriculumModule } from './curriculum/curriculum.module';
import { MediaModule } from './media/media.module';
import { MessagingModule } from './messaging/messaging.module';
import { ReportsModule } from './reports/reports.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RetentionModule } from './retention/retention.module';
import { SyncModule } from './sync/sync.module';
import { StreamModule } from './stream/stream.module';
import { InvitesModule } from './invites/invites.module';
import { MentoringModule } from './mentoring/mentoring.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { ProgressModule } from './progress/progress.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SurveysModule } from './surveys/surveys.module';
import { AccountDataModule } from './account-data/account-data.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { FollowupsModule } from './followups/followups.module';

/** Config and the database, opened before Nest starts and closed after it stops (hub.ts). */
@Global()
@Module({})
class CoreModule {
  static with(config: HubConfig, dataSource: DataSource, redis: RedisClient | null): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
        { provide: REDIS, useValue: redis },
        Lifecycle,
      ],
      exports: [HUB_CONFIG, DataSource, REDIS, Lifecycle],
    };
  }
}

@Module({})
export class AppModule {
  static with(config: HubConfig, dataSource: DataSource, redis: RedisClient | null): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.with(config, dataSource, redis),
        StreamModule,
        RateLimitModule,
        AccountsModule,
        InvitesModule,
        CohortsModule,
        MentoringModule,
        NotificationsModule,
        SchedulingModule,
        ProgressModule,
        FollowupsModule,
        SurveysModule,
        KeysModule,
        LibraryModule,
        CurriculumModule,
        MediaModule,
        MessagingModule,
        RetentionModule,
        ReportsModule,
        SyncModule,
        AccountDataModule,
        PersonalDataModule,
        LifecycleModule,
        RealtimeModule,
        HealthModule,
      ],
      providers: [
        // Deny by default: every route needs a token unless marked @Public().
        { provide: APP_GUARD, useClass: AuthGuard },
        // In this order: text a database cannot hold is refused before anything looks at it.
        { provide: APP_PIPE, useClass: WellFormedInputPipe },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: NoBodyInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
