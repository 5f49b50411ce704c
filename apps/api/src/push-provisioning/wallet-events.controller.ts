import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/scopes.decorator';
import { WalletEventDto } from './wallet-event.dto';
import { type WalletEventAnswer, WalletEventsService } from './wallet-events.service';

/** The wallet's reports on provisioned tokens, fed into the card+wallet actor. */
@ApiTags('push-provisioning')
@ApiBearerAuth()
@Controller('wallet-events')
export class WalletEventsController {
  constructor(private readonly walletEvents: WalletEventsService) {}

  /** A retry of a report already taken answers 200 with the current state. */
  @Post()
  @HttpCode(200)
  @RequireScopes('wallet.events')
  report(@Body() body: WalletEventDto): Promise<WalletEventAnswer> {
    return this.walletEvents.report(body.proxy, body.wallet, {
      eventType: body.eventType,
      tokenReferenceId: body.tokenReferenceId,
    });
  }
}
