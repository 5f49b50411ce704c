import { type OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { signWebhook } from '@tlo/crypto';
import { LOOPBACK_ADDRESSES, type OutboundPolicy, checkOutboundUrl } from '@tlo/outbound';

/** A URL as it may appear in logs and errors: no query string, which may carry a receiver's token. */
const shown = (url: string) => {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
};

/** The receiver answered, but not 2xx. A 3xx is one too: redirects are never followed. */
export class WebhookRejectedError extends Error {
  constructor(
    url: string,
    readonly status: number,
  ) {
    const redirect = status >= 300 && status < 400 ? ' (a redirect: not followed)' : '';
    super(`webhook ${shown(url)} answered ${status}${redirect}`);
    this.name = 'WebhookRejectedError';
  }
}

/** The outbound policy refuses the URL itself (scheme, credentials, a forbidden literal address). */
export class WebhookRefusedError extends Error {
  constructor(url: string, problem: string) {
    super(`webhook ${shown(url)} refused by the outbound policy: the URL ${problem}`);
    this.name = 'WebhookRefusedError';
  }
}

/** Nothing reached a receiver: the resolved address was refused, or the connection failed. */
export class WebhookUndeliveredError extends Error {
  constructor(url: string, reason: string) {
    super(`webhook ${shown(url)} not delivered: ${reason}`);
    this.name = 'WebhookUndeliveredError';
  }
}

export interface WebhookSenderOptions {
  /** Resolves host names; tests inject one. Whatever it answers, the connected address is checked. */
  lookup?: LookupFunction;
  timeoutMs?: number;
}

/**
 * POSTs JSON bodies signed with `X-Timestamp` (ms since epoch) and `X-Signature` = hex HMAC-SHA256
 * over `<timestamp>.<body>`, to receivers the outbound policy allows. The URL is checked first; then
 * request-filtering-agent checks the address each connection is made to, after DNS resolution, so a
 * name resolving to an internal address is refused when sending. Redirects are never followed: the
 * signed body goes only to the configured receiver. Resolves with the status on 2xx and throws
 * otherwise, so the activity retry policy tries again with backoff.
 */
export class SignedWebhookSender {
  private readonly agents: Record<'http:' | 'https:', RequestFilteringHttpAgent | RequestFilteringHttpsAgent>;

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly options: WebhookSenderOptions = {},
  ) {
    const filter = {
      allowPrivateIPAddress: false,
      allowMetaIPAddress: false,
      allowIPAddressList: policy.allowLoopback ? [...LOOPBACK_ADDRESSES] : [],
    };
    this.agents = {
      'http:': new RequestFilteringHttpAgent(filter),
      'https:': new RequestFilteringHttpsAgent(filter),
    };
  }

  async post(
    url: string,
    secret: string,
    payload: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<number> {
    const verdict = checkOutboundUrl(url, this.policy);
    if (!verdict.ok) throw new WebhookRefusedError(url, verdict.problem);
    const body = JSON.stringify(payload);
    const timestamp = String(Date.now());
    const status = await this.send(verdict.url, body, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-timestamp': timestamp,
      'x-signature': signWebhook(secret, timestamp, body),
      ...extraHeaders,
    });
    if (status < 200 || status >= 300) throw new WebhookRejectedError(url, status);
    return status;
  }

  private send(url: URL, body: string, headers: OutgoingHttpHeaders): Promise<number> {
    const protocol = url.protocol as 'http:' | 'https:';
    const request = protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          headers,
          agent: this.agents[protocol],
          lookup: this.options.lookup,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        },
        (response) => {
          resolve(response.statusCode ?? 0);
          response.destroy(); // only the status matters, and the connection is not reused
        },
      );
      outgoing.on('error', (error) => reject(new WebhookUndeliveredError(url.href, error.message)));
      outgoing.end(body);
    });
  }
}
