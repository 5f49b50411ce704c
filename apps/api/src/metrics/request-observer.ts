import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@tlo/config';
import { HttpMetrics } from './http-metrics';
import { routeLabel, routeMatcher } from './route-label';

/** Scraped and probed every few seconds: their request lines are debug, every other one info. */
const PROBES = new Set(['/health', '/metrics']);

interface ExpressRouter {
  stack: Array<{ route?: { path?: unknown } }>;
}

/** The route templates registered on the Express application (read once routing is set up). */
function registeredTemplates(express: unknown): string[] {
  return ((express as { router?: ExpressRouter }).router?.stack ?? [])
    .map((layer) => layer.route?.path)
    .filter((path): path is string => typeof path === 'string');
}

/**
 * Counts, times and logs every request once it is answered, with its final status (4xx from
 * validation or guards, 5xx from the error filter, 400 for a body that is not JSON), by route
 * template. Registered before the body parser, so requests refused before routing are seen too.
 * The log line has method, route template, status and duration: no path, query string or body.
 */
export function requestObserver(metrics: HttpMetrics, log: Logger, express: unknown) {
  let match: ((path: string) => string | undefined) | undefined;
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const path = request.path;
    response.once('finish', () => {
      match ??= routeMatcher(registeredTemplates(express));
      const route = routeLabel((request.route as { path?: unknown } | undefined)?.path, path, match);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(request.method, route, response.statusCode, seconds);
      const fields = {
        method: request.method,
        route,
        status: response.statusCode,
        durationMs: Math.round(seconds * 1e4) / 10,
      };
      if (PROBES.has(route)) log.debug('request', fields);
      else log.info('request', fields);
    });
    next();
  };
}

/**
 * Puts the observer first on the application's Express app: call it right after `NestFactory.create`
 * (Nest adds the body parser, its middleware and the routes at init, after it).
 */
export function observeRequests(app: INestApplication, log: Logger): void {
  const express: unknown = app.getHttpAdapter().getInstance();
  app.use(requestObserver(app.get(HttpMetrics), log, express));
}
