import { Global, Module, type OnApplicationShutdown, Inject, type Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { type AppConfig, loadConfig } from '@tlo/config';
import { FieldCipher } from '@tlo/crypto';
import {
  CardAttemptRepository,
  CardProgramRepository,
  CardRepository,
  FopAccountRepository,
  GoogleTokenClaimRepository,
  IdempotencyRepository,
  OtpOutboxRepository,
  PartnerEventRepository,
  PaymentFormRepository,
  PaymentRepository,
  ProjectionRepository,
  type Repositories,
  SavedCardRepository,
  ShopRepository,
  SmartTapRepository,
  connectMongo,
  createRepositories,
  ensureIndexes,
  fieldCipherFor,
} from '@tlo/persistence';
import { callerHeaderInterceptor, connectTemporalClient } from '@tlo/temporal';
import { currentCaller } from '../http/caller-context';
import { runLimitInterceptor } from './run-limit';
import { CONFIG, MONGO, REPOSITORIES, TEMPORAL_CLIENT } from './tokens';

/** The repositories slices inject by class; `httpIdempotency` is the idempotency module's own. */
const BY_CLASS = {
  cards: CardRepository,
  programs: CardProgramRepository,
  otpOutbox: OtpOutboxRepository,
  cardAttempts: CardAttemptRepository,
  partnerEvents: PartnerEventRepository,
  projections: ProjectionRepository,
  fopAccounts: FopAccountRepository,
  tokenClaims: GoogleTokenClaimRepository,
  idempotency: IdempotencyRepository,
  smartTap: SmartTapRepository,
  shops: ShopRepository,
  savedCards: SavedCardRepository,
  paymentForms: PaymentFormRepository,
  payments: PaymentRepository,
} satisfies {
  [K in Exclude<keyof Repositories, 'httpIdempotency'>]: abstract new (...args: never[]) => Repositories[K];
};

const repositoryProviders: Provider[] = Object.entries(BY_CLASS).map(([key, type]) => ({
  provide: type,
  inject: [REPOSITORIES],
  useFactory: (repositories: Repositories) => repositories[key as keyof typeof BY_CLASS],
}));

/** Configuration, MongoDB, Temporal client and repositories, shared by every HTTP slice. */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: (): AppConfig => loadConfig() },
    { provide: MONGO, inject: [CONFIG], useFactory: (config: AppConfig) => connectMongo(config.mongo.uri) },
    {
      provide: TEMPORAL_CLIENT,
      inject: [CONFIG],
      useFactory: (config: AppConfig) =>
        connectTemporalClient({
          connection: config.temporal.connection,
          namespace: config.temporal.namespace,
          codecKeyRing: config.codec.keyRing,
          workflowInterceptors: [
            callerHeaderInterceptor(currentCaller),
            runLimitInterceptor(config.lifecycles.maxTransitionsPerRun),
          ],
        }),
    },
    {
      provide: FieldCipher,
      inject: [CONFIG],
      useFactory: (config: AppConfig) => fieldCipherFor(config.fieldEncryptionKeys),
    },
    {
      provide: REPOSITORIES,
      inject: [CONFIG, MONGO, FieldCipher],
      useFactory: async (config: AppConfig, mongo: Connection, cipher: FieldCipher) => {
        const repositories = createRepositories(mongo, cipher, {
          httpIdempotencyTtlMs: config.idempotency.keyTtlMs,
        });
        await ensureIndexes(repositories);
        return repositories;
      },
    },
    ...repositoryProviders,
  ],
  exports: [CONFIG, MONGO, TEMPORAL_CLIENT, FieldCipher, REPOSITORIES, ...Object.values(BY_CLASS)],
})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO) private readonly mongo: Connection,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.mongo.close(), this.temporal.connection.close()]);
  }
}
