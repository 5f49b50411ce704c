import type { CardRepository, OtpOutboxRepository } from '@tlo/persistence';
import { ApiError } from '../../apps/api/src/http/api-error';
import type { NewTokenizationRequest } from '../../apps/api/src/manual-provisioning/manual-provisioning.service';
import { newCard } from './cards';

/** For workflow tests that drive the yellow path through the API's service, without HTTP. */

/** A tokenization request for a new card of the registry, YELLOW by default (risk 50, known device). */
export async function yellowPathRequest(
  cards: CardRepository,
  overrides: Partial<NewTokenizationRequest> = {},
): Promise<NewTokenizationRequest> {
  return {
    proxy: (await cards.create(newCard({ email: 'maria@example.com' }))).proxy,
    wallet: 'ApplePay',
    deviceId: 'device-1',
    walletRiskScore: 50,
    deviceNewToAccount: false,
    ...overrides,
  };
}

/** The one-time code last delivered for a request, read from the DIRECT channel's outbox. */
export async function lastCodeOf(outbox: OtpOutboxRepository, requestId: string): Promise<string> {
  return /\b(\d{6})\b/.exec((await outbox.latest(requestId))!.text)![1];
}

/** The API error a service call must fail with: its status and body. */
export function apiRejection(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ApiError);
      return { status: (error as ApiError).getStatus(), body: (error as ApiError).getResponse() };
    },
  );
}
