import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import type { AuthenticatedRequest } from './auth.guard';

/** The subject of the caller's bearer token: the tenant it speaks for (shop, terminal's collector id). */
export const CallerSubject = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal!.subject,
);

/**
 * A token acts only for its own tenant: a request naming another one in `field` is 403, whether or not
 * that tenant exists, so a caller learns nothing about the others.
 */
export function requireOwnTenant(subject: string, named: string, field: string): void {
  if (named !== subject)
    throw new ApiError(403, {
      code: 'FORBIDDEN',
      field,
      message: `this token acts for ${field} ${subject} only (its subject)`,
    });
}
