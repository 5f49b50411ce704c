import type { Connection } from 'mongoose';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { CardAttemptRepository } from './card-attempt.repository';
import { CardProgramRepository } from './card-program.repository';
import { CardRepository } from './card.repository';
import { FopAccountRepository } from './fop-account.repository';
import { GoogleTokenClaimRepository } from './google-token-claim.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { OtpOutboxRepository } from './otp-outbox.repository';
import { PartnerEventRepository } from './partner-event.repository';
import { PaymentFormRepository, PaymentRepository } from './payment.repository';
import { ProjectionRepository } from './projection.repository';
import { ReadModelShapeError } from './read-model-shape';
import { SavedCardRepository } from './saved-card.repository';
import { ShopRepository } from './shop.repository';
import { SmartTapRepository } from './smart-tap.repository';

/** The injection token of the product's MongoDB connection (API and worker). */
export const MONGO = Symbol('MONGO');

/** The field cipher of stored secrets (PANs, private keys, webhook secrets), from `FIELD_ENCRYPTION_KEYS`. */
export function fieldCipherFor(keyRingSpec: string): FieldCipher {
  return new FieldCipher(KeyRing.parse(keyRingSpec));
}

export interface RepositoryOptions {
  /** How long the API's `Idempotency-Key` answers are kept (unset: until pruned by hand). */
  httpIdempotencyTtlMs?: number;
}

/**
 * Every repository the product has, on one connection and one field cipher: the one place the API,
 * the worker and the tests build them. Call `ensureIndexes` on the result before serving.
 */
export function createRepositories(mongo: Connection, cipher: FieldCipher, options: RepositoryOptions = {}) {
  return {
    cards: new CardRepository(mongo, cipher),
    programs: new CardProgramRepository(mongo, cipher),
    otpOutbox: new OtpOutboxRepository(mongo, cipher),
    cardAttempts: new CardAttemptRepository(mongo),
    partnerEvents: new PartnerEventRepository(mongo),
    projections: new ProjectionRepository(mongo),
    fopAccounts: new FopAccountRepository(mongo),
    tokenClaims: new GoogleTokenClaimRepository(mongo),
    /** Standard Payments requests and payment form submissions. */
    idempotency: new IdempotencyRepository(mongo),
    /** The API's `Idempotency-Key` answers. */
    httpIdempotency: new IdempotencyRepository(mongo, {
      collection: 'http_idempotency',
      expireAfterMs: options.httpIdempotencyTtlMs,
    }),
    smartTap: new SmartTapRepository(mongo, cipher),
    shops: new ShopRepository(mongo, cipher),
    savedCards: new SavedCardRepository(mongo, cipher),
    paymentForms: new PaymentFormRepository(mongo),
    payments: new PaymentRepository(mongo),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * Brings every collection's indexes to its schema's. The unique indexes are what make the product's
 * inserts idempotent (a retried save, payment or claim finds the first one), so this runs before the
 * API serves or the worker polls. API and worker may run it at the same time: a lost race is retried
 * once. A database written in an older release's read-model shape is refused with the command that
 * converts it.
 */
export async function ensureIndexes(repositories: Repositories): Promise<void> {
  // First, alone: it refuses a database of an older release's shape before any index is dropped.
  const { projections } = repositories;
  await projections.ensureIndexes().catch((error: unknown) => {
    if (error instanceof ReadModelShapeError) throw error;
    return projections.ensureIndexes();
  });
  const indexed = Object.values(repositories)
    .filter((repository) => repository !== repositories.projections)
    .filter(hasIndexes);
  await Promise.all(
    indexed.map((repository) => repository.ensureIndexes().catch(() => repository.ensureIndexes())),
  );
}

const hasIndexes = <T extends object>(repository: T): repository is T & { ensureIndexes(): Promise<void> } =>
  'ensureIndexes' in repository;
