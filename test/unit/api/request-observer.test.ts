import { Body, Controller, Get, type INestApplication, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsIn } from 'class-validator';
import type { Logger } from '@tlo/config';
import { ApiError } from '../../../apps/api/src/http/api-error';
import { ErrorFilter } from '../../../apps/api/src/http/error.filter';
import { validationPipe } from '../../../apps/api/src/http/validation';
import { MetricsController } from '../../../apps/api/src/metrics/metrics.controller';
import { HttpMetrics } from '../../../apps/api/src/metrics/http-metrics';
import { observeRequests } from '../../../apps/api/src/metrics/request-observer';
import { parseExposition, total } from '../../support/prometheus';

class SendDto {
  @IsIn(['sms', 'email'])
  methodId!: string;
}

@Controller('requests')
class RequestsController {
  @Post(':requestId/otp')
  send(@Param('requestId') requestId: string, @Body() body: SendDto) {
    return { requestId, methodId: body.methodId };
  }

  @Get(':requestId')
  read(@Param('requestId') requestId: string) {
    if (requestId === 'forbidden') throw new ApiError(403, { code: 'FORBIDDEN', message: 'no' });
    throw new Error(`database down while reading ${requestId}`);
  }
}

@Module({ controllers: [RequestsController, MetricsController], providers: [HttpMetrics] })
class TestModule {}

/**
 * The request observer in a real Nest application on Express, wired as the API wires it, with the
 * API's validation pipe and error filter: every answer is counted and logged once with its final
 * status and route template. (No guard or database: those run in the e2e suite.)
 */
describe('request metrics and request log lines', () => {
  let app: INestApplication;
  let url: string;
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const record =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const log: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    child: () => log,
  };

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    observeRequests(app, log);
    app.useGlobalPipes(validationPipe());
    app.useGlobalFilters(new ErrorFilter());
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  const call = (method: string, path: string, body?: string) =>
    fetch(`${url}${path}`, { method, body, headers: { 'content-type': 'application/json' } });

  it('counts each answer once by method, route template and final status', async () => {
    const statuses = [
      (await call('POST', '/requests/r-1/otp', '{"methodId":"sms"}')).status,
      (await call('POST', '/requests/r-2/otp', '{"methodId":"pigeon"}')).status,
      (await call('POST', '/requests/r-3/otp', '{"methodId":')).status,
      (await call('GET', '/requests/r-4')).status,
      (await call('GET', '/requests/forbidden')).status,
      (await call('GET', '/nothing/r-5')).status,
      (await call('DELETE', '/requests/r-6')).status,
    ];
    expect(statuses).toEqual([201, 400, 400, 500, 403, 404, 404]);

    const samples = parseExposition(await (await call('GET', '/metrics')).text());
    const count = (method: string, route: string, status: number) =>
      total(samples, 'http_requests_total', { method, route, status_code: String(status) });
    expect(count('POST', '/requests/:requestId/otp', 201)).toBe(1);
    expect(count('POST', '/requests/:requestId/otp', 400)).toBe(2); // validation, then a body that is not JSON
    expect(count('GET', '/requests/:requestId', 500)).toBe(1);
    expect(count('GET', '/requests/:requestId', 403)).toBe(1);
    expect(count('GET', 'unmatched', 404)).toBe(1);
    expect(count('DELETE', '/requests/:requestId', 404)).toBe(1); // a known path, another method
    expect(total(samples, 'http_requests_total')).toBe(7);
    expect(total(samples, 'http_request_duration_seconds_count')).toBe(7);
    const labels = samples.flatMap((s) => Object.values(s.labels)).join(' ');
    expect(labels).not.toMatch(/r-\d|nothing|forbidden/);
  });

  it('logs one line per answer, info (debug for /metrics), with no path, body or error text', () => {
    const requests = lines.filter((l) => l.message === 'request');
    expect(requests.map((l) => [l.level, l.fields?.method, l.fields?.route, l.fields?.status])).toEqual([
      ['info', 'POST', '/requests/:requestId/otp', 201],
      ['info', 'POST', '/requests/:requestId/otp', 400],
      ['info', 'POST', '/requests/:requestId/otp', 400],
      ['info', 'GET', '/requests/:requestId', 500],
      ['info', 'GET', '/requests/:requestId', 403],
      ['info', 'GET', 'unmatched', 404],
      ['info', 'DELETE', '/requests/:requestId', 404],
      ['debug', 'GET', '/metrics', 200],
    ]);
    for (const line of requests) {
      expect(Object.keys(line.fields!).sort()).toEqual(['durationMs', 'method', 'route', 'status']);
      expect(line.fields!.durationMs).toBeGreaterThanOrEqual(0);
      expect(JSON.stringify(line)).not.toMatch(/r-\d|pigeon|sms|database down/);
    }
  });
});
