import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { FopAccountRepository, GoogleTokenClaimRepository } from '@tlo/persistence';
import { MONGO } from '../core/tokens';
import { FopAdminController } from './fop-admin.controller';
import { IdempotencyService } from './idempotency.service';
import { RedirectAuthenticationController } from './redirect-authentication.controller';
import { StandardPaymentsController } from './standard-payments.controller';
import { TokenizedFopService } from './tokenized-fop.service';

@Module({
  controllers: [StandardPaymentsController, RedirectAuthenticationController, FopAdminController],
  providers: [
    TokenizedFopService,
    IdempotencyService,
    {
      provide: FopAccountRepository,
      inject: [MONGO],
      useFactory: (mongo: Connection) => new FopAccountRepository(mongo),
    },
    {
      provide: GoogleTokenClaimRepository,
      inject: [MONGO],
      useFactory: (mongo: Connection) => new GoogleTokenClaimRepository(mongo),
    },
  ],
})
export class TokenizedFopModule {}
