import { Module } from '@nestjs/common';
import { WalletEventsController } from './wallet-events.controller';
import { WalletEventsService } from './wallet-events.service';

@Module({ controllers: [WalletEventsController], providers: [WalletEventsService] })
export class WalletEventsModule {}
