import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { canonicalJson } from '../canonical-json';

/**
 * The `Idempotency-Key` request header, as the IETF httpapi draft "The Idempotency-Key HTTP Header
 * Field" defines it (a Structured Field string: `Idempotency-Key: "8e03978e-…"`) and as Stripe takes
 * it (the bare value). Either way the key is 1 to 255 visible ASCII characters.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

const malformed = (message: string) =>
  new ApiError(400, { code: 'INVALID_IDEMPOTENCY_KEY', field: IDEMPOTENCY_KEY_HEADER, message });

/** The key of a request, null when it has none; a malformed key is a 400 naming the header. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw malformed(`send one ${IDEMPOTENCY_KEY_HEADER} header, not ${raw.length}`);
  const quoted = SF_STRING.exec(raw);
  const key = quoted ? quoted[1].replace(/\\(["\\])/g, '$1') : raw;
  if (key.length === 0) throw malformed(`${IDEMPOTENCY_KEY_HEADER} must not be empty`);
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw malformed(`${IDEMPOTENCY_KEY_HEADER} must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  if (!VISIBLE_ASCII.test(key))
    throw malformed(`${IDEMPOTENCY_KEY_HEADER} must be visible ASCII characters, e.g. a UUID`);
  return key;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Where a key is unique: per caller (the token's subject; none on public routes), method and route
 * template. The record's `_id` is this hash, so the key itself is not stored.
 */
export function idempotencyScope(scope: {
  subject: string | null;
  method: string;
  route: string;
  key: string;
}): string {
  return sha256(JSON.stringify([scope.subject ?? '', scope.method, scope.route, scope.key]));
}

/**
 * What makes two requests "the same": path parameters, query and body, canonically (key order does
 * not matter). Only this hash of the request is stored: request bodies carry PANs and codes.
 */
export function requestFingerprint(request: { params: unknown; query: unknown; body: unknown }): string {
  return sha256(
    canonicalJson({ params: request.params ?? {}, query: request.query ?? {}, body: request.body ?? null }),
  );
}

/**
 * Statuses whose answer a repeat gets back: successes and the client errors that depend only on the
 * request. Not kept: 5xx (the server's trouble: a repeat runs again), nor the 4xx that depend on the
 * moment (408 timeout, 409 conflict, 423 locked, 425 too early, 429 too many requests).
 */
export function isReplayableStatus(status: number): boolean {
  if (status >= 200 && status < 300) return true;
  return status >= 400 && status < 500 && ![408, 409, 423, 425, 429].includes(status);
}
