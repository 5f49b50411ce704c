import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 over `<timestamp>.<body>`: the `X-Signature` of every outgoing webhook. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  return constantTimeEqualHex(signWebhook(secret, timestamp, body), signature);
}

export function hmacSha256(key: Uint8Array | string, message: string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

export function constantTimeEqualHex(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** A fresh 6-digit one-time code from the CSPRNG. */
export function drawOneTimeCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The only form in which a one-time code is kept: hex HMAC-SHA256 over `<requestId>|<code>`. */
export function otpHmac(key: Uint8Array, requestId: string, code: string): string {
  return createHmac('sha256', key).update(`${requestId}|${code}`).digest('hex');
}
