import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createLogger } from '@tlo/config';

const log = createLogger('api');

/** The Lyra-V4-like answer of every call under `/api-payment/V4/` and of the form. */
export interface V4Response<T> {
  webService: string;
  version: 'V4';
  status: 'SUCCESS' | 'ERROR';
  answer: T;
  serverDate: string;
}

export interface V4ErrorAnswer {
  errorCode: string;
  errorMessage: string;
  detailedErrorMessage?: string;
  /** The request field at fault, for bad input. */
  errorField?: string;
}

export function v4Success<T>(webService: string, answer: T): V4Response<T> {
  return { webService, version: 'V4', status: 'SUCCESS', answer, serverDate: new Date().toISOString() };
}

/** Whether a request belongs to the V4 surface (the web services and the buyer's form). */
export function isV4Path(path: string): boolean {
  return path.startsWith('/api-payment/V4/') || path.startsWith('/forms/');
}

/** `/api-payment/V4/Charge/CreatePayment` → `Charge/CreatePayment`; the form → `Form/Submit`. */
function webServiceOf(request: Request): string {
  const path = request.path;
  const v4 = /\/api-payment\/V4\/(.+)$/.exec(path);
  if (v4) return v4[1];
  return /^\/forms\//.test(path) ? 'Form/Submit' : path;
}

/**
 * Answers every error of the V4 surface in its envelope, with the HTTP status kept 4xx/5xx so callers
 * and proxies see the failure: validation (400 naming the field), auth (401/403), contract errors.
 */
@Catch()
export class V4ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    let status = 500;
    let answer: V4ErrorAnswer = { errorCode: 'INTERNAL', errorMessage: 'internal error' };
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      answer = toAnswer(status, exception.getResponse());
    } else {
      log.error('unhandled error', {
        error: exception instanceof Error ? exception.message : String(exception),
      });
    }
    response.status(status).json({
      webService: webServiceOf(request),
      version: 'V4',
      status: 'ERROR',
      answer,
      serverDate: new Date().toISOString(),
    } satisfies V4Response<V4ErrorAnswer>);
  }
}

function toAnswer(status: number, raw: string | object): V4ErrorAnswer {
  const body = (typeof raw === 'string' ? { message: raw } : raw) as {
    code?: string;
    message?: unknown;
    field?: string;
    details?: unknown;
  };
  const errorMessage = Array.isArray(body.message)
    ? String(body.message[0])
    : String(body.message ?? 'request failed');
  const errorCode =
    body.code ?? (status === 400 ? 'MALFORMED_REQUEST' : status === 404 ? 'NOT_FOUND' : `HTTP_${status}`);
  return {
    errorCode,
    errorMessage,
    ...(typeof body.details === 'string' ? { detailedErrorMessage: body.details } : {}),
    ...(body.field ? { errorField: body.field } : status === 400 && !body.code ? { errorField: 'body' } : {}),
  };
}
