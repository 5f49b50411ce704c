import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { createLogger } from '@tlo/config';
import { FieldCipher } from '@tlo/crypto';
import type { IdempotencyRepository, Repositories } from '@tlo/persistence';
import { REPOSITORIES } from '../../core/tokens';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentRequests } from './idempotent-requests';

const log = createLogger('api');
const HTTP_KEYS = Symbol('HTTP_IDEMPOTENCY_RECORDS');
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * `Idempotency-Key` for the whole API: the interceptor, and its records in MongoDB (collection
 * `http_idempotency`), so stored answers survive a restart and are shared by every API process.
 * Expired answers are pruned hourly, off the request path (FerretDB 1.x has no TTL index).
 */
@Module({
  providers: [
    {
      provide: HTTP_KEYS,
      inject: [REPOSITORIES],
      useFactory: (repositories: Repositories) => repositories.httpIdempotency,
    },
    {
      provide: IdempotentRequests,
      inject: [HTTP_KEYS, FieldCipher],
      useFactory: (records: IdempotencyRepository, cipher: FieldCipher) =>
        new IdempotentRequests(records, cipher),
    },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class IdempotencyModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private pruning?: NodeJS.Timeout;

  constructor(@Inject(HTTP_KEYS) private readonly records: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    const prune = () =>
      this.records.prune().catch((error: unknown) =>
        log.warn('idempotency records not pruned', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    void prune();
    this.pruning = setInterval(prune, PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruning);
  }
}
