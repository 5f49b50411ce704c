import { Module } from '@nestjs/common';
import { CardProgramsController } from './card-programs.controller';
import { ManualProvisioningService } from './manual-provisioning.service';
import { TokenizationRequestsController } from './tokenization-requests.controller';

@Module({
  controllers: [TokenizationRequestsController, CardProgramsController],
  providers: [ManualProvisioningService],
})
export class ManualProvisioningModule {}
