import jwt from 'jsonwebtoken';
import { JWT_ISSUER, type Stack } from './stack';

/**
 * A bearer token signed with the stack's secret and exactly these claims (plus the issuer): the
 * library adds no `iat`, `exp` or `sub` of its own, so a test can leave any of them out.
 */
export function tokenWithClaims(stack: Stack, claims: Record<string, unknown>): string {
  return jwt.sign({ iss: JWT_ISSUER, ...claims }, stack.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
}
