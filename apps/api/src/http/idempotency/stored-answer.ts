import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { FieldCipher } from '@tlo/crypto';

/** The first answer to a request with an `Idempotency-Key`, as it went out. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body's exact bytes, base64. */
  body: string;
}

/** The headers a repeat gets back with the stored body; the rest (dates, lengths) are set anew. */
export const KEPT_HEADERS = ['content-type', 'location', 'cache-control'];

/**
 * Stored encrypted with the field cipher, bound to the key's scope: an answer may carry card data
 * (a sealed payload, a masked PAN, an e-mail), and MongoDB holds none of it in clear.
 */
export const sealAnswer = (cipher: FieldCipher, scope: string, answer: StoredAnswer): string =>
  cipher.encrypt(JSON.stringify(answer), `idempotency:${scope}`);

export const openAnswer = (cipher: FieldCipher, scope: string, sealed: string): StoredAnswer =>
  JSON.parse(cipher.decrypt(sealed, `idempotency:${scope}`)) as StoredAnswer;

/**
 * Raised by the idempotency interceptor when a repeat is answered from the store: the handler does not
 * run, and the replay filter writes the stored answer byte for byte.
 */
export class IdempotentReplay extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('idempotent replay');
  }
}

@Catch(IdempotentReplay)
export class IdempotentReplayFilter implements ExceptionFilter {
  catch(replay: IdempotentReplay, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(replay.answer.status);
    for (const [name, value] of Object.entries(replay.answer.headers)) response.setHeader(name, value);
    // As Stripe does: tells the client this answer is the stored one.
    response.setHeader('Idempotent-Replayed', 'true');
    response.end(Buffer.from(replay.answer.body, 'base64'));
  }
}
