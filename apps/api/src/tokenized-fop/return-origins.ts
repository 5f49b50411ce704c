import ipaddr from 'ipaddr.js';
import type { SignInConfig } from '@tlo/config';

const isLoopback = (hostname: string): boolean => {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
};

/**
 * Whether the sign-in page may send the user, with the signed-in `requestId`, to `url`: an http(s) URL
 * without credentials on one of the configured return origins (Google's), or on loopback where the
 * configuration allows it (development). Anything else would hand the proof of sign-in to a stranger.
 */
export function isAllowedReturnUrl(
  url: URL,
  policy: Pick<SignInConfig, 'returnOrigins' | 'loopbackReturns'>,
): boolean {
  if (!['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '') return false;
  if (policy.returnOrigins.includes(url.origin)) return true;
  return policy.loopbackReturns && isLoopback(url.hostname);
}

/** The allowed return origins in words, for the 400 that refuses another one. */
export function describeReturnOrigins(
  policy: Pick<SignInConfig, 'returnOrigins' | 'loopbackReturns'>,
): string {
  const origins = policy.returnOrigins.join(', ') || 'none configured';
  return policy.loopbackReturns ? `${origins}, or loopback` : origins;
}
