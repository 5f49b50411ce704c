import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { type Observable, from, mergeMap, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../../auth/auth.guard';
import { IDEMPOTENCY_KEY_IGNORED } from './idempotency.decorator';
import { idempotencyScope, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IdempotentRequests } from './idempotent-requests';
import { IdempotentReplay } from './stored-answer';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `Idempotency-Key` on every mutating route, once for the whole API. Runs after authentication (the
 * key is scoped to the caller) and before validation, so a refused body is an answer a repeat gets
 * back too. A request without the header runs as before.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly requests: IdempotentRequests,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const ignored = this.reflector.getAllAndOverride<boolean>(IDEMPOTENCY_KEY_IGNORED, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!MUTATING.has(request.method) || ignored) return next.handle();
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (key === null) return next.handle();
    const scope = idempotencyScope({
      subject: request.principal?.subject ?? null,
      method: request.method,
      route: (request.route as { path?: string } | undefined)?.path ?? request.path,
      key,
    });
    const fingerprint = requestFingerprint(request);
    return from(this.requests.admit(scope, fingerprint, http.getResponse<Response>())).pipe(
      mergeMap((admission) =>
        admission.kind === 'run' ? next.handle() : throwError(() => new IdempotentReplay(admission.answer)),
      ),
    );
  }
}
