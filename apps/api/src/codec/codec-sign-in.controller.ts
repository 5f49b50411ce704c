import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '@tlo/config';
import { issueToken, verifyToken } from '../auth/jwt';
import { Public } from '../auth/scopes.decorator';
import { CONFIG } from '../core/tokens';
import { CODEC_SCOPES, SESSION_COOKIE, SESSION_MAX_SECONDS, SESSION_PATH } from './codec-session';
import { codecSignInPage, codecSignedInPage, codecSignedOutPage } from './sign-in-page';

/** The pages post only to this API, are never framed or cached, and run no script. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  // helmet's `no-referrer` would make the browser send `Origin: null` with the form's POST, and the
  // login-CSRF check needs the page's real origin; same-origin still sends no referrer elsewhere.
  'referrer-policy': 'same-origin',
};

class SignInRefused extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The codec operator's sign-in: the operator pastes an API token that has `codec.decode` into a
 * form (a POST body, never a URL), and gets a session cookie that carries a new token limited to the
 * codec scopes, HttpOnly (no script reads it), SameSite=Strict and scoped to `/codec`. The Web UI
 * sends it with its codec requests when its codec settings include cross-origin credentials; the
 * Temporal UI's own auth (an OIDC access token it passes on) would need an identity provider the
 * API trusts, which the local dev server does not have.
 */
/** The codec's sign-in and sign-out pages post HTML forms (form-encoded bodies). */
export const CODEC_FORM_PATHS = ['/codec/sign-in', '/codec/sign-out'];

@ApiExcludeController()
@Controller('codec')
@Public()
export class CodecSignInController {
  private readonly apiOrigin: string;
  private readonly secure: boolean;

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {
    const publicUrl = new URL(config.api.publicUrl);
    this.apiOrigin = publicUrl.origin;
    this.secure = config.production || publicUrl.protocol === 'https:';
  }

  @Get('sign-in')
  page(@Res() response: Response): void {
    this.html(response, 200, codecSignInPage(this.pageOptions()));
  }

  @Post('sign-in')
  @HttpCode(200)
  signIn(@Body() form: unknown, @Req() request: Request, @Res() response: Response): void {
    try {
      this.assertOwnPage(request);
      const raw = (form as { token?: unknown } | undefined)?.token;
      const token = typeof raw === 'string' ? raw.trim().replace(/^Bearer\s+/i, '') : '';
      const session = this.openSession(token);
      response.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.secure,
        path: SESSION_PATH,
        maxAge: session.seconds * 1000,
      });
      this.html(response, 200, codecSignedInPage({ ...session, ...this.pageOptions() }));
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      this.html(response, error.status, codecSignInPage({ ...this.pageOptions(), error: error.message }));
    }
  }

  @Post('sign-out')
  @HttpCode(200)
  signOut(@Req() request: Request, @Res() response: Response): void {
    try {
      this.assertOwnPage(request);
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      this.html(response, error.status, codecSignedOutPage());
      return;
    }
    response.clearCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      path: SESSION_PATH,
    });
    this.html(response, 200, codecSignedOutPage());
  }

  /** A session that lasts no longer than the token it comes from, nor than a working day. */
  private openSession(token: string) {
    if (!token) throw new SignInRefused(401, 'Paste an API token.');
    let principal: { subject: string; scopes: string[] };
    try {
      const { jwtSecret, issuer, maxTokenLifetimeSeconds } = this.config.auth;
      principal = verifyToken(jwtSecret, issuer, token, maxTokenLifetimeSeconds);
    } catch {
      throw new SignInRefused(401, 'This token is not valid or has expired.');
    }
    if (!principal.scopes.includes('codec.decode'))
      throw new SignInRefused(403, 'This token does not have the codec.decode scope.');
    const exp = (jwt.decode(token) as jwt.JwtPayload | null)?.exp;
    const left = typeof exp === 'number' ? exp - Math.floor(Date.now() / 1000) : SESSION_MAX_SECONDS;
    const seconds = Math.max(1, Math.min(SESSION_MAX_SECONDS, left));
    const scopes = CODEC_SCOPES.filter((scope) => principal.scopes.includes(scope));
    const { jwtSecret, issuer } = this.config.auth;
    return {
      token: issueToken(jwtSecret, issuer, principal.subject, scopes, seconds),
      seconds,
      subject: principal.subject,
      scopes,
      expiresAt: new Date(Date.now() + seconds * 1000),
    };
  }

  /** Sign-in forms posted from another site's page (login CSRF) are refused. */
  private assertOwnPage(request: Request): void {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.apiOrigin)
      throw new SignInRefused(403, `Sign in from this API's own page (${this.apiOrigin}${request.path}).`);
  }

  private pageOptions() {
    return { codecEndpoint: `${this.config.api.publicUrl}/codec`, uiOrigins: this.config.codec.corsOrigins };
  }

  private html(response: Response, status: number, body: string): void {
    response.status(status).set(PAGE_HEADERS).type('html').send(body);
  }
}
