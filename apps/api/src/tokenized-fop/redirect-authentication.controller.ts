import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppConfig, SignInConfig } from '@tlo/config';
import { Public } from '../auth/scopes.decorator';
import { CONFIG } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { describeReturnOrigins, isAllowedReturnUrl } from './return-origins';
import { SignInThrottled } from './sign-in-throttling';
import { IdempotencyKeyIgnored } from '../http/idempotency/idempotency.decorator';
import { signInPage } from './sign-in-page';
import { TokenizedFopService } from './tokenized-fop.service';

const REQUEST_ID = /^[\w-]{1,100}$/;

/** Where Google sends the user to sign in; the only route that takes a form-encoded body. */
export const SIGN_IN_PATH = '/standard-payments/auth';

/** Both the page and its form check the same: a request id, and a return URL on an allowed origin. */
function checked(
  requestId: unknown,
  returnUrl: unknown,
  policy: SignInConfig,
): { requestId: string; returnUrl: URL } {
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw ApiError.badField('requestId', 'requestId must be 1 to 100 letters, digits, _ or -');
  }
  let url: URL | null = null;
  try {
    url = typeof returnUrl === 'string' ? new URL(returnUrl) : null;
  } catch {
    url = null;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw ApiError.badField('returnUrl', 'returnUrl must be an absolute http(s) URL');
  }
  if (!isAllowedReturnUrl(url, policy)) {
    throw ApiError.badField(
      'returnUrl',
      `returnUrl must be on an allowed return origin: ${describeReturnOrigins(policy)}`,
    );
  }
  return { requestId, returnUrl: url };
}

/** The form may post only here, and the redirect after it may go only to Google's return origin. */
const securityHeaders = (returnUrl: URL) => ({
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${returnUrl.origin}`,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
});

/**
 * Redirect authentication: Google sends the user here with its `requestId`; the user
 * signs in to their integrator account and is sent back to `returnUrl` with the `requestId`, which
 * is then the proof of authentication for `associateAccount` or `refreshToken`.
 */
@ApiExcludeController()
@Controller(SIGN_IN_PATH)
export class RedirectAuthenticationController {
  constructor(
    private readonly fop: TokenizedFopService,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  page(
    @Query('requestId') rawRequestId: unknown,
    @Query('returnUrl') rawReturnUrl: unknown,
    @Res() res: Response,
  ) {
    const { requestId, returnUrl } = checked(rawRequestId, rawReturnUrl, this.config.signIn);
    res
      .status(200)
      .set(securityHeaders(returnUrl))
      .type('html')
      .send(signInPage({ requestId, returnUrl: returnUrl.href }));
  }

  @Post()
  @Public()
  @SignInThrottled()
  @IdempotencyKeyIgnored()
  async signIn(@Body() body: Record<string, unknown> | undefined, @Res() res: Response): Promise<void> {
    const form = body ?? {}; // a POST without a body has no fields: the checks below name the first
    const { requestId, returnUrl } = checked(form.requestId, form.returnUrl, this.config.signIn);
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const outcome = await this.fop.signInByRedirect(requestId, username, password);
    if (outcome !== 'AUTHENTICATED') {
      const error =
        outcome === 'INVALID_CREDENTIALS'
          ? 'The username or password is not right.'
          : 'This sign-in link was already used. Start again from Google.';
      res
        .status(outcome === 'INVALID_CREDENTIALS' ? 401 : 409)
        .set(securityHeaders(returnUrl))
        .type('html')
        .send(signInPage({ requestId, returnUrl: returnUrl.href, error }));
      return;
    }
    returnUrl.searchParams.set('requestId', requestId);
    res.redirect(303, returnUrl.href);
  }
}
