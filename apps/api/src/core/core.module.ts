import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { type AppConfig, loadConfig } from '@tlo/config';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import {
  CardProgramRepository,
  CardRepository,
  IdempotencyRepository,
  ProjectionRepository,
  connectMongo,
} from '@tlo/persistence';
import { callerHeaderInterceptor, connectTemporalClient } from '@tlo/temporal';
import { currentCaller } from '../http/caller-context';
import { CONFIG, MONGO, TEMPORAL_CLIENT } from './tokens';

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
          workflowInterceptors: [callerHeaderInterceptor(currentCaller)],
        }),
    },
    {
      provide: FieldCipher,
      inject: [CONFIG],
      useFactory: (config: AppConfig) => new FieldCipher(KeyRing.parse(config.fieldEncryptionKeys)),
    },
    {
      provide: CardRepository,
      inject: [MONGO, FieldCipher],
      useFactory: (mongo: Connection, cipher: FieldCipher) => new CardRepository(mongo, cipher),
    },
    {
      provide: CardProgramRepository,
      inject: [MONGO, FieldCipher],
      useFactory: (mongo: Connection, cipher: FieldCipher) => new CardProgramRepository(mongo, cipher),
    },
    {
      provide: ProjectionRepository,
      inject: [MONGO],
      useFactory: async (mongo: Connection) => {
        const repository = new ProjectionRepository(mongo);
        await repository.ensureIndexes();
        return repository;
      },
    },
    {
      provide: IdempotencyRepository,
      inject: [MONGO],
      // Standard Payments requests and form submissions are claimed here: the unique index on the key
      // is what lets one of concurrent duplicates evaluate. Ensure it at boot.
      useFactory: async (mongo: Connection) => {
        const records = new IdempotencyRepository(mongo);
        await records.ensureIndexes();
        return records;
      },
    },
  ],
  exports: [
    CONFIG,
    MONGO,
    TEMPORAL_CLIENT,
    FieldCipher,
    CardRepository,
    CardProgramRepository,
    ProjectionRepository,
    IdempotencyRepository,
  ],
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
