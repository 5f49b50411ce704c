import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Caller } from '@tlo/temporal';
import type { AuthenticatedRequest } from '../auth/auth.guard';

const callers = new AsyncLocalStorage<Caller>();

/** The HTTP caller of the request being handled, for the Temporal client's caller header. */
export function currentCaller(): Caller | undefined {
  return callers.getStore();
}

/**
 * Runs each handler with its caller (route template and authenticated subject) in context, so every
 * workflow start, signal and update it sends records who asked for it in the workflow's history.
 */
@Injectable()
export class CallerContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const template = (request.route as { path?: string } | undefined)?.path ?? request.path;
    const caller: Caller = { route: `${request.method} ${template}` };
    if (request.principal) caller.subject = request.principal.subject;
    return new Observable((subscriber) => callers.run(caller, () => next.handle().subscribe(subscriber)));
  }
}
