import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type RequestHeader, requestTimestampInWindow } from '@tlo/domain';
import { IdempotencyRepository } from '@tlo/persistence';
import { ApiError } from '../http/api-error';
import { canonicalJson } from '../http/canonical-json';

export const payloadHash = (method: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method}\n${canonicalJson(body)}`)
    .digest('hex');

const WAIT_FOR_DUPLICATE_MS = 15_000;

/**
 * Standard Payments idempotency: `requestId` is the key. A repeat of a request that
 * answered 200 gets the stored bytes; one that failed is evaluated again; the same key with another
 * payload is 412. A concurrent duplicate waits for the first to finish.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRepository) {}

  async run(
    method: string,
    body: { requestHeader: RequestHeader },
    evaluate: () => Promise<object>,
  ): Promise<string> {
    const { requestId, requestTimestamp } = body.requestHeader;
    const hash = payloadHash(method, body);
    const waitUntil = Date.now() + WAIT_FOR_DUPLICATE_MS;
    for (;;) {
      const claim = await this.records.claim(requestId, hash);
      if (claim.kind !== 'claimed' && claim.payloadHash !== hash) {
        throw new ApiError(412, {
          code: 'IDEMPOTENCY_VIOLATION',
          field: 'requestHeader.requestId',
          message: `requestId ${requestId} was already used with a different payload`,
        });
      }
      if (claim.kind === 'completed') return claim.responseBody;
      if (claim.kind === 'in-progress') {
        if (Date.now() > waitUntil) {
          throw new ApiError(409, {
            code: 'REQUEST_IN_PROGRESS',
            message: `requestId ${requestId} is still being processed; repeat it later`,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        if (!requestTimestampInWindow(requestTimestamp, Date.now())) {
          throw new ApiError(400, {
            code: 'REQUEST_TIMESTAMP_OUT_OF_RANGE',
            field: 'requestHeader.requestTimestamp',
            message: 'requestTimestamp is more than 60 seconds away from the integrator clock',
          });
        }
        const answer = await evaluate();
        const responseBody = JSON.stringify({
          responseHeader: { responseTimestamp: String(Date.now()) },
          ...answer,
        });
        await this.records.complete(requestId, claim.claimId, responseBody);
        return responseBody;
      } catch (error) {
        await this.records.release(requestId, claim.claimId);
        throw error;
      }
    }
  }
}
