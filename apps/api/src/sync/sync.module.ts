import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { SyncController } from './sync.controller';
import { SyncService } from './sync.service';

@Module({ imports: [KeysModule], controllers: [SyncController], providers: [SyncService], exports: [SyncService] })
export class SyncModule {}
