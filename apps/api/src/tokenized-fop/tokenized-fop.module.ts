import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { FopAccountRepository, GoogleTokenClaimRepository, IdempotencyRepository } from '@tlo/persistence';
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
    {
      provide: IdempotencyRepository,
      inject: [MONGO],
      // The unique index on requestId is what serialises concurrent duplicates: ensure it at boot.
      useFactory: async (mongo: Connection) => {
        const records = new IdempotencyRepository(mongo);
        await records.ensureIndexes();
        return records;
      },
    },
  ],
})
export class TokenizedFopModule {}
