import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MessagingModule } from '../messaging/messaging.module';
import { SyncModule } from '../sync/sync.module';
import { RealtimeGateway } from './realtime.gateway';

@Module({ imports: [AccountsModule, SyncModule, MessagingModule], providers: [RealtimeGateway] })
export class RealtimeModule {}
