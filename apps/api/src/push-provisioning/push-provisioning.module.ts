import { Module } from '@nestjs/common';
import { PushProvisioningController } from './push-provisioning.controller';
import { PushProvisioningService } from './push-provisioning.service';

@Module({ controllers: [PushProvisioningController], providers: [PushProvisioningService] })
export class PushProvisioningModule {}
