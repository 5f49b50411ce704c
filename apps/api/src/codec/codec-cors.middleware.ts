import type { NextFunction, Request, Response } from 'express';

/** CORS for the codec routes only: the Temporal Web UI's origin may call them from the browser. */
export function codecCors(allowedOrigins: string[]) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
      response.setHeader('Access-Control-Max-Age', '600');
    }
    if (request.method === 'OPTIONS') {
      response.status(origin && allowedOrigins.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };
}
