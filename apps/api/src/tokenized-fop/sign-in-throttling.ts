import { type ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import {
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerOptions,
  type ThrottlerRequest,
  normalizeIp,
} from '@nestjs/throttler';
import type { SignInConfig } from '@tlo/config';
import { ApiError, type ApiErrorBody } from '../http/api-error';

const SIGN_IN_ROUTE = 'sign-in:throttled';
const BY_ADDRESS = 'sign-in-address';
const BY_ACCOUNT = 'sign-in-account';

/** The route opts in: these throttlers limit no other route, whatever guard runs there. */
const notSignInRoute = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(SIGN_IN_ROUTE, context.getHandler()) !== true;

const usernameOf = (request: { body?: unknown }): string => {
  const username = (request.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? username : '';
};

/**
 * The sign-in's throttlers for `ThrottlerModule` (times in milliseconds): per client address, every
 * post counts and a client past the limit waits the window out; per account (the posted username,
 * hashed into the key), every attempt counts, and past the limit the account is locked, so even the
 * right password is refused until the lockout ends. A right password ends a sign-in (Google's
 * requestId is used once): an account sees that many attempts only when someone guesses.
 */
export function signInThrottlers(limits: SignInConfig): ThrottlerOptions[] {
  return [
    {
      name: BY_ADDRESS,
      limit: limits.address.attempts,
      ttl: limits.address.windowSeconds * 1000,
      blockDuration: limits.address.windowSeconds * 1000,
      getTracker: (request) => `address:${normalizeIp(String(request.ip))}`,
      skipIf: notSignInRoute,
      setHeaders: false,
    },
    {
      name: BY_ACCOUNT,
      limit: limits.account.attempts,
      ttl: limits.account.windowSeconds * 1000,
      blockDuration: limits.account.lockoutSeconds * 1000,
      getTracker: (request) => `account:${usernameOf(request)}`,
      skipIf: notSignInRoute,
      setHeaders: false,
    },
  ];
}

const refusals: Record<string, (retryAfter: number) => ApiErrorBody> = {
  [BY_ADDRESS]: (retryAfter) => ({
    code: 'TOO_MANY_SIGN_INS',
    message: `too many sign-in attempts from this address: try again in ${retryAfter} s`,
  }),
  [BY_ACCOUNT]: (retryAfter) => ({
    code: 'SIGN_IN_LOCKED',
    field: 'username',
    message: `this account is locked after too many sign-in attempts: try again in ${retryAfter} s`,
  }),
};

class LimitReached extends ThrottlerException {
  constructor(readonly detail: ThrottlerLimitDetail) {
    super();
  }
}

/** @nestjs/throttler's guard, answering its 429 in the API's error shape with a `Retry-After`. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      const refusal = refusals[request.throttler.name ?? ''];
      if (!(error instanceof LimitReached) || !refusal) throw error;
      const retryAfter = Math.max(1, error.detail.timeToBlockExpire);
      this.getRequestResponse(request.context).res.header('Retry-After', String(retryAfter));
      throw new ApiError(429, refusal(retryAfter));
    }
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new LimitReached(detail);
  }
}

/** Limits the route per client address and per account (the sign-in's throttlers above). */
export const SignInThrottled = () =>
  applyDecorators(SetMetadata(SIGN_IN_ROUTE, true), UseGuards(SignInThrottlerGuard));
