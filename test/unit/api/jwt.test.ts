import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TokenRefused, issueToken, verifyToken } from '../../../apps/api/src/auth/jwt';

const SECRET = randomBytes(32).toString('base64url');
const ISSUER = 'tokenization-orchestrator';
const DAY = 24 * 3600;
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (no defaults added by the library). */
const signed = (claims: Record<string, unknown>, secret = SECRET) =>
  jwt.sign({ iss: ISSUER, ...claims }, secret, { algorithm: 'HS256', noTimestamp: true });
const unsigned = (claims: Record<string, unknown>) =>
  [
    { alg: 'none', typ: 'JWT' },
    { iss: ISSUER, ...claims },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.') + '.';

const refusal = (token: string, max = DAY): string => {
  try {
    verifyToken(SECRET, ISSUER, token, max);
  } catch (error) {
    return error instanceof TokenRefused ? error.message : `library: ${(error as Error).name}`;
  }
  return 'accepted';
};

describe('verifyToken', () => {
  it('accepts a token issued by issueToken, with its subject and scopes', () => {
    expect(verifyToken(SECRET, ISSUER, issueToken(SECRET, ISSUER, 'shop-1', ['payments', 'x']))).toEqual({
      subject: 'shop-1',
      scopes: ['payments', 'x'],
    });
  });

  it('refuses a token without exp', () => {
    expect(refusal(signed({ sub: 'shop-1', iat: now(), scope: 'payments' }))).toBe(
      'the bearer token has no expiry (exp)',
    );
  });

  it('refuses a token without sub, or with an empty one', () => {
    const exp = now() + 3600;
    expect(refusal(signed({ iat: now(), exp, scope: 'payments' }))).toBe('the bearer token has no subject');
    expect(refusal(signed({ sub: ' ', iat: now(), exp, scope: 'payments' }))).toBe(
      'the bearer token has no subject',
    );
  });

  it('refuses a lifetime above the maximum: exp - iat, or exp - now without iat', () => {
    expect(refusal(signed({ sub: 's', iat: now(), exp: now() + DAY + 60 }))).toBe(
      `the bearer token lives longer than the maximum of ${DAY} s`,
    );
    expect(refusal(signed({ sub: 's', exp: now() + DAY + 60 }))).toMatch(/lives longer/);
    // An iat in the future does not buy a longer life: the token is good from now on.
    expect(refusal(signed({ sub: 's', iat: now() + 3600, exp: now() + DAY + 1800 }))).toMatch(/lives longer/);
    expect(refusal(signed({ sub: 's', iat: now(), exp: now() + 3600 }), 1800)).toMatch(/maximum of 1800 s/);
    expect(refusal(signed({ sub: 's', iat: now(), exp: now() + DAY }))).toBe('accepted');
    expect(refusal(signed({ sub: 's', exp: now() + 3600 }))).toBe('accepted');
  });

  it('refuses alg none, a wrong secret, another issuer and an expired token', () => {
    const claims = { sub: 's', iat: now(), exp: now() + 3600, scope: 'payments' };
    expect(refusal(unsigned(claims))).toBe('library: JsonWebTokenError');
    expect(refusal(signed(claims, randomBytes(32).toString('base64url')))).toBe('library: JsonWebTokenError');
    expect(refusal(signed({ ...claims, iss: 'someone-else' }))).toBe('library: JsonWebTokenError');
    expect(refusal(signed({ ...claims, iat: now() - 7200, exp: now() - 60 }))).toBe(
      'library: TokenExpiredError',
    );
  });
});
