import { Module } from '@nestjs/common';
import { WalletEventsController } from './wallet-events.controller';

@Module({ controllers: [WalletEventsController] })
export class WalletEventsModule {}
