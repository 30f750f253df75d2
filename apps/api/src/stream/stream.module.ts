import { Global, Module } from '@nestjs/common';
import { DeviceListsService } from './device-lists.service';
import { Notifier } from './notifier';
import { Transactions } from './transactions';

@Global()
@Module({
  providers: [Notifier, Transactions, DeviceListsService],
  exports: [Notifier, Transactions, DeviceListsService],
})
export class StreamModule {}
