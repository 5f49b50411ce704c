import { Module } from '@nestjs/common';
import { FopAdminController } from './fop-admin.controller';
import { IdempotencyService } from './idempotency.service';
import { RedirectAuthenticationController } from './redirect-authentication.controller';
import { StandardPaymentsController } from './standard-payments.controller';
import { TokenizedFopService } from './tokenized-fop.service';

@Module({
  controllers: [StandardPaymentsController, RedirectAuthenticationController, FopAdminController],
  providers: [TokenizedFopService, IdempotencyService],
})
export class TokenizedFopModule {}
