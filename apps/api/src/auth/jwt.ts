import jwt from 'jsonwebtoken';

export interface Principal {
  subject: string;
  scopes: string[];
}

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

export function verifyToken(secret: string, issuer: string, token: string): Principal {
  const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer }) as jwt.JwtPayload;
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  return { subject: claims.sub ?? 'unknown', scopes: scope.split(' ').filter(Boolean) };
}
