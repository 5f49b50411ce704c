import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/**
 * Refuses a path whose percent-encoding is not UTF-8 (`%ZZ`, `%C0%AE`, a lone `%`) with a 400 naming
 * `path`, before routing: the router would otherwise fail to decode a parameter and say only "bad
 * request".
 */
export function refuseUndecodablePaths(request: Request, _response: Response, next: NextFunction): void {
  try {
    decodeURIComponent(request.path);
  } catch {
    return next(ApiError.badField('path', 'the path is not valid percent-encoded UTF-8'));
  }
  next();
}
