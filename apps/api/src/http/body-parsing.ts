import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { HttpLimits } from '@tlo/config';
import { ApiError } from './api-error';
import { jsonNestingExceeds } from './json-depth';

/** The body parser's error type for a JSON body nested deeper than the limit. */
export const JSON_TOO_DEEP = 'entity.too.deep';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** JSON is UTF-8 (RFC 8259 §8.1); a form is too, as browsers send it from a UTF-8 page. */
const CHARSETS = new Set(['utf-8', 'utf8']);

function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

/** An empty body (`Content-Length: 0`, as clients send on a POST without one) is no body to check. */
const hasBody = (request: Request) =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

const withoutTrailingSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/**
 * Refuses, before any byte of it is read, a body the route cannot take: JSON everywhere, a form also
 * on `formPaths`; UTF-8 only. 415 naming `Content-Type`. Requests without a body pass.
 */
function acceptedMediaTypes(formPaths: string[]) {
  const forms = new Set(formPaths.map(withoutTrailingSlash));
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!hasBody(request)) return next();
    const accepted = forms.has(withoutTrailingSlash(request.path)) ? [FORM_TYPE, JSON_TYPE] : [JSON_TYPE];
    if (!request.is(accepted)) {
      return next(
        new ApiError(415, {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          field: 'Content-Type',
          message: `the body must be ${accepted.join(' or ')}`,
        }),
      );
    }
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && !CHARSETS.has(charset)) {
      return next(
        new ApiError(415, {
          code: 'UNSUPPORTED_CHARSET',
          field: 'Content-Type',
          message: 'the body must be UTF-8 (charset=utf-8)',
        }),
      );
    }
    next();
  };
}

/** Refuses JSON nested deeper than `maxDepth` from the raw bytes, before JSON.parse sees them. */
function refuseDeepJson(maxDepth: number) {
  return (_request: IncomingMessage, _response: unknown, body: Buffer): void => {
    if (jsonNestingExceeds(body, maxDepth)) {
      throw Object.assign(new Error(`the JSON body nests deeper than ${maxDepth} levels`), {
        status: 400,
        type: JSON_TOO_DEEP,
      });
    }
  };
}

/**
 * The API's body parsing, with explicit limits: media type and charset checked first, then the body
 * read (gzip, deflate and br inflated) up to `bodyLimitBytes` after inflation, JSON nesting checked,
 * and parsed. The parsers' own errors (too large, bad encoding, bad JSON) are mapped to 4xx by
 * `clientErrorOf`. Call before routes are registered, with Nest's own body parser turned off.
 */
export function useBodyParsing(app: NestExpressApplication, limits: HttpLimits, formPaths: string[]): void {
  app.use(acceptedMediaTypes(formPaths));
  app.useBodyParser('json', {
    type: JSON_TYPE,
    limit: limits.bodyLimitBytes,
    verify: refuseDeepJson(limits.jsonMaxDepth),
  });
  app.useBodyParser('urlencoded', {
    type: FORM_TYPE,
    extended: false,
    limit: limits.bodyLimitBytes,
    parameterLimit: 32,
  });
}
