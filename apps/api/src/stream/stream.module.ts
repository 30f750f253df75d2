import { Global, Module } from '@nestjs/common';
import { Notifier } from './notifier';
import { Transactions } from './transactions';

@Global()
@Module({ providers: [Notifier, Transactions], exports: [Notifier, Transactions] })
export class StreamModule {}
