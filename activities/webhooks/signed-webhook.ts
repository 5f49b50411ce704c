import { signWebhook } from '@tlo/crypto';

export class WebhookRejectedError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`webhook ${url} answered ${status}`);
    this.name = 'WebhookRejectedError';
  }
}

/**
 * POSTs a JSON body signed as DESIGN §3 says: `X-Timestamp` (ms since epoch) and `X-Signature` =
 * hex HMAC-SHA256 over `<timestamp>.<body>`. Resolves with the status on 2xx; throws otherwise so the
 * activity retry policy tries again with backoff.
 */
export async function postSignedWebhook(
  url: string,
  secret: string,
  payload: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  const body = JSON.stringify(payload);
  const timestamp = String(Date.now());
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': signWebhook(secret, timestamp, body),
      ...extraHeaders,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) throw new WebhookRejectedError(url, response.status);
  return response.status;
}
