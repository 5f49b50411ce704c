import type { Response } from 'express';
import { createLogger } from '@tlo/config';
import type { FieldCipher } from '@tlo/crypto';
import type { IdempotencyRepository } from '@tlo/persistence';
import { ApiError } from '../api-error';
import { IDEMPOTENCY_KEY_HEADER, isReplayableStatus } from './idempotency-key';
import { KEPT_HEADERS, type StoredAnswer, openAnswer, sealAnswer } from './stored-answer';

const log = createLogger('api');

export interface IdempotencyTimings {
  /** A claim older than this never completed: its process died, and a repeat takes it over. */
  leaseMs: number;
  /** How long a repeat waits for the first request to finish before answering 409. */
  waitMs: number;
}

export const DEFAULT_TIMINGS: IdempotencyTimings = { leaseMs: 5 * 60_000, waitMs: 15_000 };

/** Answers larger than this are not kept (a document has a size limit); a repeat runs again. */
const MAX_STORED_BODY_BYTES = 1024 * 1024;

export type Admission = { kind: 'run' } | { kind: 'replay'; answer: StoredAnswer };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Requests carrying an `Idempotency-Key`: the first of a scope runs, and its answer is stored when
 * it is one a repeat should get back; a repeat with the same fingerprint gets that answer without
 * running, also while the first is still running (it waits, bounded); another request under the
 * same key is refused.
 */
export class IdempotentRequests {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly cipher: FieldCipher,
    private readonly timings: IdempotencyTimings = DEFAULT_TIMINGS,
  ) {}

  /** Claims `scope` for this request (then its answer is captured on `response`), or replays. */
  async admit(scope: string, fingerprint: string, response: Response): Promise<Admission> {
    const deadline = Date.now() + this.timings.waitMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
      const claim = await this.records.claim(scope, fingerprint, this.timings.leaseMs);
      if (claim.kind !== 'claimed' && claim.payloadHash !== fingerprint) {
        throw new ApiError(422, {
          code: 'IDEMPOTENCY_KEY_REUSED',
          field: IDEMPOTENCY_KEY_HEADER,
          message: `this ${IDEMPOTENCY_KEY_HEADER} was used for another request; use a new key`,
        });
      }
      if (claim.kind === 'completed')
        return { kind: 'replay', answer: openAnswer(this.cipher, scope, claim.responseBody) };
      if (claim.kind === 'claimed') {
        this.captureAnswer(response, scope, claim.claimId);
        return { kind: 'run' };
      }
      if (Date.now() + delay > deadline) {
        response.setHeader('Retry-After', '1');
        throw new ApiError(409, {
          code: 'IDEMPOTENCY_KEY_IN_USE',
          field: IDEMPOTENCY_KEY_HEADER,
          message: `a request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry later`,
        });
      }
      await pause(delay);
    }
  }

  /**
   * Wraps the response's writes, so the answer that goes out (from the handler or the error filter)
   * is the answer stored, before the client sees it: a repeat sent right after the answer, even to
   * another API process, finds it.
   */
  private captureAnswer(response: Response, scope: string, claimId: string): void {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string')
        chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = response.write as (...args: unknown[]) => boolean;
    const end = response.end as (...args: unknown[]) => Response;
    response.write = function (this: Response, ...args: unknown[]) {
      keep(args[0], args[1]);
      return write.apply(this, args);
    } as typeof response.write;
    const settle = (body: Buffer) => this.keepOrRelease(response, scope, claimId, body);
    response.end = function (this: Response, ...args: unknown[]) {
      if (typeof args[0] !== 'function') keep(args[0], args[1]);
      response.end = end as typeof response.end;
      void settle(Buffer.concat(chunks)).finally(() => end.apply(this, args));
      return this;
    } as typeof response.end;
  }

  /** Stores the answer a repeat should get back; otherwise releases the key, so a repeat runs again. */
  private async keepOrRelease(
    response: Response,
    scope: string,
    claimId: string,
    body: Buffer,
  ): Promise<void> {
    try {
      if (!isReplayableStatus(response.statusCode) || body.length > MAX_STORED_BODY_BYTES) {
        await this.records.release(scope, claimId);
        return;
      }
      const answer: StoredAnswer = {
        status: response.statusCode,
        headers: {},
        body: body.toString('base64'),
      };
      for (const name of KEPT_HEADERS) {
        const value = response.getHeader(name);
        if (value !== undefined) answer.headers[name] = String(value);
      }
      await this.records.complete(scope, claimId, sealAnswer(this.cipher, scope, answer));
    } catch (error) {
      // The answer still goes out; a repeat finds the claim and, once its lease is over, runs again.
      log.error('idempotency record not written', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
