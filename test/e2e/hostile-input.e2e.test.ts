import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { RawClient } from '../support/hostile/client';
import { type OpenApiDocument, type Operation, operationsOf } from '../support/hostile/openapi';
import { type HostileRequest, type Tokens, hostileRequests } from '../support/hostile/requests';
import { type Answer, problemWith } from '../support/hostile/verdict';
import { Stack } from '../support/stack';

/**
 * Hostile input against every route of the running API's own OpenAPI document: fast-check builds each
 * request from the operation's description (a plausible baseline) with one hostile change: wrong
 * types, missing, extra or null fields, huge or deeply nested bodies, bad charsets and encodings, bad
 * path and query values, and tokens that are missing, expired, unsigned, forged or lack scopes.
 * No answer may be a 5xx, and every 4xx is JSON with a code; a 400, 412, 413, 415 or 422 also names
 * the field or header it refuses, in the surface's own shape (`FIELD_NAMED_STATUSES` and `problemWith`
 * say the rule and why).
 *
 * Reproduce a run with `HOSTILE_SEED=<seed>` (printed at start); `HOSTILE_ROUTE=<text>` keeps the
 * routes whose `METHOD /template` contains the text (each route's requests depend only on the seed
 * and the route, so a filtered run sends the same requests to it); `HOSTILE_DUMP=<file>` writes every
 * request with its answer.
 */
const DEFAULT_SEED = 1212;
const TOTAL_REQUESTS = 10_500;
const CONCURRENCY = 16;

const write = (line: string) => process.stdout.write(`[hostile] ${line}\n`);

/** A stable per-route seed: the run's seed mixed with a hash of `METHOD /template`. */
function routeSeed(seed: number, operation: Operation): number {
  let hash = seed | 0;
  for (const char of `${operation.method} ${operation.template}`)
    hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Round-robin over the routes, so every moment of the run hits many routes at once. */
function interleave<T>(groups: T[][]): T[] {
  const longest = Math.max(...groups.map((group) => group.length));
  return Array.from({ length: longest }, (_, i) =>
    groups.flatMap((group) => (i < group.length ? [group[i]] : [])),
  ).flat();
}

/** Every request and its answer (bodies cut at 300 characters), as JSON, to study a run. */
function dump(file: string, requests: HostileRequest[], answers: Array<Answer | Error>): void {
  const cut = (text: string) => text.slice(0, 300);
  const rows = requests.map((request, i) => {
    const answer = answers[i];
    return {
      ...request,
      body: request.body && cut(request.body.toString('utf8')),
      answer: answer instanceof Error ? answer.message : { status: answer.status, text: cut(answer.text) },
    };
  });
  writeFileSync(file, JSON.stringify(rows, null, 1));
}

const truncate = (text: string, max = 600) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

function describeRequest(request: HostileRequest): string {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, truncate(value, 80)]),
  );
  const body = request.body ? truncate(request.body.toString('utf8')) : '(none)';
  return [
    `${request.method} ${truncate(request.path, 300)}   [${request.kind}]`,
    `headers: ${JSON.stringify(headers)}`,
    `body: ${body}`,
  ].join('\n');
}

describe('hostile input on every route of the OpenAPI document (fast-check, real stack)', () => {
  let stack: Stack;
  let document: OpenApiDocument;
  let tokens: Tokens;

  beforeAll(async () => {
    stack = await Stack.start();
    document = (await stack.request<OpenApiDocument>('GET', '/docs/openapi.json')).body;
    const issuer = (jwt.decode(stack.token()) as jwt.JwtPayload).iss!;
    const scopes = await discoverScopes(stack, operationsOf(document));
    const now = Math.floor(Date.now() / 1000);
    const claims = { scope: scopes.join(' '), sub: 'hostile', iss: issuer, iat: now, exp: now + 3600 };
    const unsigned = (payload: object) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
        JSON.stringify(payload),
      ).toString('base64url')}.`;
    tokens = {
      all: stack.tokenAs('hostile', ...scopes),
      noScope: stack.tokenAs('hostile'),
      expired: jwt.sign({ ...claims, iat: now - 7200, exp: now - 3600 }, stack.jwtSecret, {
        algorithm: 'HS256',
      }),
      algNone: unsigned(claims),
      wrongSecret: jwt.sign(claims, 'not-the-stack-secret', { algorithm: 'HS256' }),
      wrongIssuer: jwt.sign({ ...claims, iss: 'someone-else' }, stack.jwtSecret, { algorithm: 'HS256' }),
    };
  });
  afterAll(() => stack?.stop());

  it('answers no 5xx to 10,000+ generated requests, and every 4xx names what it refuses', async () => {
    const seed = Number(process.env.HOSTILE_SEED ?? DEFAULT_SEED);
    const only = process.env.HOSTILE_ROUTE;
    const operations = operationsOf(document).filter(
      (operation) => !only || `${operation.method} ${operation.template}`.includes(only),
    );
    expect(operations.length).toBeGreaterThan(0);
    const perRoute = Math.ceil(TOTAL_REQUESTS / operationsOf(document).length);
    write(
      `seed ${seed} (HOSTILE_SEED=${seed} reproduces it), ${operations.length} routes, ${perRoute} requests each`,
    );
    const requests = interleave(
      operations.map((operation) =>
        fc.sample(hostileRequests(document, operation, tokens), {
          seed: routeSeed(seed, operation),
          numRuns: perRoute,
        }),
      ),
    );

    const client = new RawClient(stack.apiUrl, CONCURRENCY);
    const started = Date.now();
    const answers = await client.sendAll(requests, CONCURRENCY).finally(() => client.close());
    const seconds = (Date.now() - started) / 1000;

    if (process.env.HOSTILE_DUMP) dump(process.env.HOSTILE_DUMP, requests, answers);
    const histogram = new Map<string, number>();
    const failures: Array<{ request: HostileRequest; answer: Answer | Error; problem: string }> = [];
    answers.forEach((answer, i) => {
      const status = answer instanceof Error ? `error ${answer.message}` : String(answer.status);
      histogram.set(status, (histogram.get(status) ?? 0) + 1);
      const problem =
        answer instanceof Error ? `no answer: ${answer.message}` : problemWith(requests[i].path, answer);
      if (problem) failures.push({ request: requests[i], answer, problem });
    });
    write(`${requests.length} requests to ${operations.length} routes in ${seconds.toFixed(1)} s`);
    write(
      `status histogram: ${[...histogram.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]) => `${status}: ${count}`)
        .join(', ')}`,
    );

    if (failures.length > 0) {
      const classes = new Map<string, number>();
      for (const { request, problem } of failures) {
        const key = `${request.method} ${request.template} [${request.kind}] ${problem}`;
        classes.set(key, (classes.get(key) ?? 0) + 1);
      }
      write(`${failures.length} answers break the contract, by route and class:`);
      for (const [key, count] of [...classes.entries()].sort(([, a], [, b]) => b - a))
        write(`  ${count} × ${key}`);
      const [first] = failures;
      const answer =
        first.answer instanceof Error
          ? first.answer.message
          : `${first.answer.status} ${truncate(first.answer.text)}`;
      write(`first offending request (seed ${seed}):\n${describeRequest(first.request)}\nanswer: ${answer}`);
    }
    expect({ failures: failures.length, first: failures[0]?.problem }).toEqual({
      failures: 0,
      first: undefined,
    });
    expect(requests.length).toBeGreaterThanOrEqual(only ? 1 : 10_000);
    // The process survived it all.
    expect((await stack.request('GET', '/health')).status).toBe(200);
  }, 170_000);
});

/**
 * The scopes the routes require, as each route's 403 names them to a valid token without scopes: the
 * run then mints one token with all of them, so that most requests reach validation.
 */
async function discoverScopes(stack: Stack, operations: Operation[]): Promise<string[]> {
  const scopes = new Set<string>();
  const bare = stack.tokenAs('hostile');
  for (const operation of operations) {
    const path = operation.template.replace(/\{[^}]+\}/g, 'x');
    const answer = await stack.request<{ message?: string; answer?: { errorMessage?: string } }>(
      operation.method,
      path,
      { token: bare },
    );
    if (answer.status !== 403) continue;
    const message = answer.body.message ?? answer.body.answer?.errorMessage ?? '';
    const missing = /missing scope: (.+)$/.exec(message)?.[1];
    expect(missing).toBeDefined();
    for (const scope of missing!.split(' ')) scopes.add(scope);
  }
  expect(scopes.size).toBeGreaterThan(0);
  return [...scopes].sort();
}
