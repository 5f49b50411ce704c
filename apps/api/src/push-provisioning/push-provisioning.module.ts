import { Module } from '@nestjs/common';
import { applePayTrustAnchorsProvider } from './apple-pay-trust-anchors.provider';
import { PushProvisioningController } from './push-provisioning.controller';
import { PushProvisioningService } from './push-provisioning.service';
import { WalletEventsController } from './wallet-events.controller';
import { WalletEventsService } from './wallet-events.service';

/** Push provisioning: the issuer app's payload request, then the wallet's reports on its tokens. */
@Module({
  controllers: [PushProvisioningController, WalletEventsController],
  providers: [PushProvisioningService, WalletEventsService, applePayTrustAnchorsProvider],
})
export class PushProvisioningModule {}
