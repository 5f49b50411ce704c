import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../http/api-error';

/** The operator's codec session: an API token limited to the codec scopes, in an HttpOnly cookie. */
export const SESSION_COOKIE = 'tlo_codec_session';
export const SESSION_PATH = '/codec';
export const CODEC_SCOPES = ['codec.decode', 'codec.encode'] as const;
/** A session lasts a working day at most, and never longer than the token it was opened with. */
export const SESSION_MAX_SECONDS = 8 * 3600;

/** One cookie's value from a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Lets the operator's session cookie stand for a bearer token on `/codec/decode` and `/codec/encode`,
 * so the same token check (401, 403 by scope) guards both. The Web UI sends the cookie on its
 * cross-origin fetch (`credentials: 'include'`); a cookie is sent by the browser whoever made the page
 * that asks, so it counts only on a JSON request from an origin allowed to use the codec (a page of
 * another origin can neither send JSON without a CORS preflight nor pass that preflight). A bearer
 * header, when there is one, wins over the cookie.
 */
export function codecSession(allowedOrigins: string[]) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (request.headers.authorization !== undefined || !session || request.method === 'OPTIONS')
      return next();
    const origin = request.headers.origin;
    if (!origin || !allowedOrigins.includes(origin)) {
      throw new ApiError(403, {
        code: 'FORBIDDEN',
        field: 'Origin',
        message: 'an operator session is accepted only from the Temporal Web UI origins (CODEC_CORS_ORIGINS)',
      });
    }
    if (!request.is('application/json')) {
      throw new ApiError(415, {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'Content-Type',
        message: 'the codec takes application/json',
      });
    }
    request.headers.authorization = `Bearer ${session}`;
    next();
  };
}
