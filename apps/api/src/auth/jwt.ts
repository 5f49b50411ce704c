import jwt from 'jsonwebtoken';

export interface Principal {
  /** Who the token speaks for: the tenant (shop id, terminal's collector id, calling service). */
  subject: string;
  scopes: string[];
}

/** A token's longest accepted lifetime unless `JWT_MAX_LIFETIME_SECONDS` says otherwise: one day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** A well-signed token that breaks a claim rule; its message is safe to answer to the caller. */
export class TokenRefused extends Error {}

/** HS256 bearer tokens; scopes in the space-separated `scope` claim (as in the Bankly contract). */
export function issueToken(
  secret: string,
  issuer: string,
  subject: string,
  scopes: string[],
  ttlSeconds = 12 * 3600,
): string {
  return jwt.sign({ scope: scopes.join(' ') }, secret, {
    algorithm: 'HS256',
    issuer,
    subject,
    expiresIn: ttlSeconds,
  });
}

/**
 * Checks the signature (HS256 only, so `alg: none` is refused), issuer, `exp` and `nbf`, then the
 * rules the library leaves optional: every token expires (`exp`), within `maxLifetimeSeconds` of its
 * issue (`iat`) and of now, and names its subject (`sub`), since the subject is the tenant.
 */
export function verifyToken(
  secret: string,
  issuer: string,
  token: string,
  maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
): Principal {
  const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer }) as jwt.JwtPayload;
  if (typeof claims.exp !== 'number') throw new TokenRefused('the bearer token has no expiry (exp)');
  const now = Math.floor(Date.now() / 1000);
  // Without `iat`, or with one in the future, what counts is how long the token is still good for.
  const issuedAt = typeof claims.iat === 'number' ? Math.min(claims.iat, now) : now;
  if (claims.exp - issuedAt > maxLifetimeSeconds)
    throw new TokenRefused(`the bearer token lives longer than the maximum of ${maxLifetimeSeconds} s`);
  if (typeof claims.sub !== 'string' || claims.sub.trim() === '')
    throw new TokenRefused('the bearer token has no subject');
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  return { subject: claims.sub, scopes: scope.split(' ').filter(Boolean) };
}
