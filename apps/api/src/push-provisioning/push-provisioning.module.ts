import { Module } from '@nestjs/common';
import { applePayTrustAnchorsProvider } from './apple-pay-trust-anchors.provider';
import { PushProvisioningController } from './push-provisioning.controller';
import { PushProvisioningService } from './push-provisioning.service';

@Module({
  controllers: [PushProvisioningController],
  providers: [PushProvisioningService, applePayTrustAnchorsProvider],
})
export class PushProvisioningModule {}
