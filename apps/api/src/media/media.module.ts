import { Module } from '@nestjs/common';
import { CohortsModule } from '../cohorts/cohorts.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { MediaController } from './media.controller';
import { MediaDownloads } from './media-downloads';
import { DatabaseMediaStore } from './media-store';
import { MediaJanitor } from './media-janitor';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { MediaPersonalData } from './personal-data';
import { TusUploads } from './tus-uploads';

/** End-to-end encrypted files: opaque, padded ciphertext in the database, uploaded with tus. */
@Module({
  imports: [CohortsModule, RateLimitModule],
  controllers: [MediaController],
  providers: [
    MediaRepository,
    MediaService,
    DatabaseMediaStore,
    MediaDownloads,
    MediaJanitor,
    TusUploads,
    MediaPersonalData,
  ],
  exports: [MediaService],
})
export class MediaModule {}
