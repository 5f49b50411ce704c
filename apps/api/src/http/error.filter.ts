import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createLogger } from '@tlo/config';
import type { ApiErrorBody } from './api-error';
import { clientErrorOf } from './client-errors';

const log = createLogger('api');

/** A contract surface with its own error shape, e.g. the Lyra-V4-like envelope under `/api-payment/V4/`. */
export interface ErrorSurface {
  matches(path: string): boolean;
  filter: ExceptionFilter;
}

/**
 * Maps every error to the JSON error shape once, at the edge. Unknown errors never leak details.
 * Errors raised before routing (an unparseable body) reach only this global filter: a surface with
 * its own shape gets them through `surfaces`. Client errors raised beneath the routes (body parser,
 * zlib, Mongoose) become their 4xx first, for every surface, so none of them is answered as a 500.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly surfaces: ErrorSurface[] = []) {}

  catch(raised: unknown, host: ArgumentsHost): void {
    const exception = clientErrorOf(raised) ?? raised;
    const path = host.switchToHttp().getRequest<Request>().path;
    const surface = this.surfaces.find((candidate) => candidate.matches(path));
    if (surface) return surface.filter.catch(exception, host);
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      response.status(status).json(toBody(status, exception.getResponse()));
      return;
    }
    log.error('unhandled error', {
      error: exception instanceof Error ? exception.message : String(exception),
    });
    response.status(500).json({ code: 'INTERNAL', message: 'internal error' });
  }
}

function toBody(status: number, raw: string | object): ApiErrorBody {
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw)
    return raw as ApiErrorBody;
  const message =
    typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? 'request failed');
  // Framework-level 400s (unparseable JSON body, oversized body) concern the body as a whole.
  if (status === 400) return { code: 'MALFORMED_REQUEST', field: 'body', message };
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', field: 'body', message };
  const code =
    status === 404
      ? 'NOT_FOUND'
      : status === 401
        ? 'UNAUTHORIZED'
        : status === 403
          ? 'FORBIDDEN'
          : `HTTP_${status}`;
  return { code, message };
}
