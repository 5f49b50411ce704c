import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type OpenApiDocument, type Operation, type Schema, resolve } from './openapi';

/** One request as it goes on the wire, with the class of hostility it carries (for the report). */
export interface HostileRequest {
  kind: string;
  method: string;
  template: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Bearer tokens the run mints with the stack's secret; `all` carries every scope the routes ask for. */
export interface Tokens {
  all: string;
  noScope: string;
  expired: string;
  algNone: string;
  wrongSecret: string;
  wrongIssuer: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Values no schema field expects: wrong types, nulls, extremes, operator objects, huge strings. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e21, 2 ** 53 + 1, -1e-7),
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 300, maxLength: 3000 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, {
    maxKeys: 4,
  }),
  // MongoDB query operators where a scalar is expected.
  fc.dictionary(fc.stringMatching(/^\$[a-z]{2,6}$/), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, {
    minKeys: 1,
    maxKeys: 2,
  }),
);

/** Keys a schema does not declare, including the ones that reach prototypes or MongoDB operators. */
const extraKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype'),
  fc.stringMatching(/^\$[a-z]{2,6}$/),
);

/** A value the schema accepts as far as the document tells (examples, enums, types). */
function validValue(document: OpenApiDocument, raw: Schema, depth = 0): fc.Arbitrary<Json> {
  const schema = resolve(document, raw);
  if (schema.enum?.length) return fc.constantFrom(...(schema.enum as Json[]));
  const typed = generic(document, schema, depth);
  if (schema.example === undefined) return typed;
  return fc.oneof(
    { arbitrary: fc.constant(schema.example as Json), weight: 4 },
    { arbitrary: typed, weight: 1 },
  );
}

function generic(document: OpenApiDocument, schema: Schema, depth: number): fc.Arbitrary<Json> {
  switch (schema.type) {
    case 'object': {
      if (depth > 6 || !schema.properties) return fc.constant({});
      const required = new Set(schema.required ?? []);
      const model = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [
          key,
          validValue(document, value, depth + 1),
        ]),
      );
      // An optional field the document gives no example of is likely to be invalid when generated:
      // leave it out most of the time, so that the rest of the body is what the request tests.
      const kept = Object.keys(model).map((key) => {
        const documented = resolve(document, schema.properties![key]);
        if (required.has(key)) return fc.constant(true);
        if (documented.example !== undefined || documented.enum?.length) return fc.boolean();
        return fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false)));
      });
      return fc
        .tuple(fc.record(model, { requiredKeys: Object.keys(model) }), fc.tuple(...kept))
        .map(([value, keep]) => {
          const keys = Object.keys(model).filter((key, i) => required.has(key) || keep[i]);
          return Object.fromEntries(keys.map((key) => [key, (value as Record<string, Json>)[key]]));
        }) as fc.Arbitrary<Json>;
    }
    case 'array':
      return fc.array(schema.items ? validValue(document, schema.items, depth + 1) : fc.string(), {
        maxLength: 3,
      });
    case 'string':
      return fc.string({ maxLength: 24 });
    case 'number':
    case 'integer':
      return fc.integer({ min: 0, max: 10_000 });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

/** Every node of a JSON value, by path from the root (the root is `[]`). */
function pathsOf(value: Json, path: Path = []): Path[] {
  const here = [path];
  if (Array.isArray(value)) return here.concat(...value.map((item, i) => pathsOf(item, [...path, i])));
  if (value !== null && typeof value === 'object')
    return here.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...path, key])));
  return here;
}

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Own property, even for `__proto__`, so the key really goes on the wire. */
function put(target: Json, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = 'replace' | 'delete' | 'extra' | 'wrap' | 'null';

function mutate(body: Json, at: Path, mutation: Mutation, value: Json, key: string): Json {
  const root = clone(body);
  if (at.length === 0) {
    if (mutation === 'extra' && root !== null && typeof root === 'object' && !Array.isArray(root)) {
      put(root, key, value);
      return root;
    }
    return mutation === 'wrap' ? [root] : mutation === 'null' ? null : value;
  }
  const parent = at.slice(0, -1).reduce<Json>((node, step) => (node as Record<string, Json>)[step], root);
  const last = at[at.length - 1];
  const current = (parent as Record<string, Json>)[last];
  if (mutation === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Record<string, Json>)[last];
  } else if (
    mutation === 'extra' &&
    current !== null &&
    typeof current === 'object' &&
    !Array.isArray(current)
  ) {
    put(current, key, value);
  } else {
    put(parent, last, mutation === 'wrap' ? [current] : mutation === 'null' ? null : value);
  }
  return root;
}

/** A schema-valid body with one part made wrong: a wrong type, a missing, extra or null field. */
function mutatedBody(document: OpenApiDocument, schema: Schema): fc.Arbitrary<{ kind: string; body: Json }> {
  return validValue(document, schema).chain((body) => {
    const paths = pathsOf(body);
    return fc
      .record({
        at: fc.constantFrom(...paths),
        mutation: fc.constantFrom<Mutation>('replace', 'delete', 'extra', 'wrap', 'null'),
        value: hostileValue,
        key: extraKey,
      })
      .map(({ at, mutation, value, key }) => ({
        kind: `body: ${mutation}`,
        body: mutate(body, at, mutation, value, key),
      }));
  });
}

const text = (value: Json) => Buffer.from(JSON.stringify(value));

/** Nesting far past any sane depth: arrays, objects, or both. */
const deepJson = fc
  .record({ depth: fc.integer({ min: 65, max: 20_000 }), open: fc.constantFrom('[', '{"a":', '[{"b":') })
  .map(({ depth, open }) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return Buffer.from(open.repeat(depth) + '1' + close.repeat(depth));
  });

/** Bodies past the size limit, sent as they are or as a small gzip that inflates past it. */
const hugeBody = fc
  .record({ size: fc.integer({ min: 110_000, max: 1_500_000 }), gzip: fc.boolean() })
  .map(({ size, gzip }) => {
    const raw = Buffer.from(JSON.stringify({ padding: 'a'.repeat(size) }));
    return gzip ? { body: gzipSync(raw), encoding: 'gzip' } : { body: raw.subarray(0, 400_000) };
  });

const printable = (arbitrary: fc.Arbitrary<string>) =>
  arbitrary.filter((value) => /^[\x20-\x7e]*$/.test(value));

/** Media types and charsets a JSON route does not take, and header values no client should send. */
const badContentType = fc.oneof(
  fc.constantFrom(
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset=klingon',
    'text/plain',
    'text/html; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    'application/json;;',
    'json',
  ),
  printable(fc.string({ unit: 'binary-ascii', maxLength: 40 })),
);

/** Content-Encoding values: valid names over bytes that are not that encoding, and unknown names. */
const badEncoding = fc.oneof(
  fc.record({
    encoding: fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip'),
    bytes: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    encoding: fc.oneof(
      fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      fc.constantFrom('gzip, gzip', 'gzip, br', 'compress', 'identity, gzip'),
    ),
    bytes: fc.constant(new Uint8Array(Buffer.from('{}'))),
  }),
);

/** Path segments that are not ids: unicode, dot segments, bad percent-encoding, very long. */
const badSegment = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 3000 }).map(encodeURIComponent),
  fc.constantFrom('..', '.', '%', '%ZZ', '%00', '%2e%2e', '%2F', '%C0%AE', '%FF', '%E2%82', '~', '%20'),
  fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => `${s}%00${s}`),
);

/** A plausible id in each shape the routes use (a UUID, digits, a slug), so requests reach validation. */
const plausibleSegment = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^\d{1,8}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
);

function segmentFor(parameter: { schema?: Schema }): fc.Arbitrary<string> {
  const schema = parameter.schema ?? {};
  if (schema.enum?.length) return fc.constantFrom(...schema.enum.map(String));
  if (schema.example !== undefined)
    return fc.oneof(
      { arbitrary: fc.constant(String(schema.example)), weight: 4 },
      { arbitrary: plausibleSegment, weight: 1 },
    );
  return plausibleSegment;
}

function pathOf(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_whole, name: string) => values[name] ?? 'x');
}

interface Baseline {
  params: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: Json;
}

function baselineOf(document: OpenApiDocument, operation: Operation, tokens: Tokens): fc.Arbitrary<Baseline> {
  const params = fc.record(
    Object.fromEntries(operation.pathParams.map((p) => [p.name, segmentFor(p)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const query = fc.tuple(
    ...operation.queryParams.map((p) => segmentFor(p).map((value) => [p.name, value] as [string, string])),
  );
  // An optional header (Idempotency-Key on every mutating route) is in one baseline of ten: each valid
  // key costs the API two database writes, and its bad values are the `header parameter` hostility.
  const headers = fc
    .record(
      Object.fromEntries(
        operation.headerParams.map((p) => [
          p.name,
          p.required
            ? segmentFor(p)
            : fc.oneof(
                { weight: 9, arbitrary: fc.constant(undefined) },
                { weight: 1, arbitrary: segmentFor(p) },
              ),
        ]),
      ),
    )
    .map(
      (values) =>
        Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Record<
          string,
          string
        >,
    );
  const body = operation.bodySchema ? validValue(document, operation.bodySchema) : fc.constant(undefined);
  return fc.record({ params, query, headers, body }).map(({ params, query, headers, body }) => ({
    params,
    query,
    headers: { ...headers, authorization: `Bearer ${tokens.all}` },
    ...(body !== undefined ? { body } : {}),
  }));
}

interface Hostility {
  kind: string;
  params?: Record<string, string>;
  query?: Array<[string, string]>;
  /** Headers to set (a value of null removes the header). */
  headers?: Record<string, string | null>;
  /** The body on the wire; `null` sends none. */
  body?: Buffer | null;
}

/** The token classes a hostile caller has: none, expired, unsigned, signed elsewhere, lacking scopes. */
function tokenHostility(tokens: Tokens): fc.Arbitrary<Hostility> {
  return fc
    .oneof(
      fc.constant(null),
      fc.constantFrom(
        `Bearer ${tokens.noScope}`,
        `Bearer ${tokens.expired}`,
        `Bearer ${tokens.algNone}`,
        `Bearer ${tokens.wrongSecret}`,
        `Bearer ${tokens.wrongIssuer}`,
        `Bearer ${tokens.all}x`,
        `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        'Bearer',
      ),
      printable(fc.string({ unit: 'binary-ascii', maxLength: 60 })).map((s) => `Bearer ${s}`),
    )
    .map((authorization) => ({ kind: 'token', headers: { authorization } }));
}

function hostilities(document: OpenApiDocument, operation: Operation, tokens: Tokens, base: Baseline) {
  const json = (kind: string, body: Json): Hostility => ({ kind, body: text(body) });
  const options: Array<{ arbitrary: fc.Arbitrary<Hostility>; weight: number }> = [
    { arbitrary: fc.constant<Hostility>({ kind: 'baseline' }), weight: 8 },
    {
      arbitrary: (fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>).map((body) =>
        json('body: random JSON', body),
      ),
      weight: 8,
    },
    { arbitrary: tokenHostility(tokens), weight: 12 },
    {
      arbitrary: badContentType.map((type) => ({
        kind: 'content-type',
        headers: { 'content-type': type },
        body: text(base.body ?? {}),
      })),
      weight: 8,
    },
    {
      arbitrary: badEncoding.map(({ encoding, bytes }) => ({
        kind: 'content-encoding',
        headers: { 'content-encoding': encoding },
        body: Buffer.from(bytes),
      })),
      weight: 6,
    },
    {
      arbitrary: fc
        .oneof(
          fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.string({ maxLength: 60 }).map((s) => Buffer.from(s)),
          fc.constantFrom(
            Buffer.from('{"a":'),
            Buffer.from('"\ud800"'),
            Buffer.from([0xc3, 0x28, 0x7b, 0x7d]),
          ),
        )
        .map((body) => ({ kind: 'body: not JSON', body })),
      weight: 4,
    },
    { arbitrary: deepJson.map((body) => ({ kind: 'body: deep', body })), weight: 4 },
    {
      arbitrary: hugeBody.map(({ body, encoding }) => ({
        kind: 'body: huge',
        body,
        ...(encoding ? { headers: { 'content-encoding': encoding } } : {}),
      })),
      weight: 2,
    },
  ];
  if (operation.bodySchema)
    options.push({
      arbitrary: mutatedBody(document, operation.bodySchema).map(({ kind, body }) => json(kind, body)),
      weight: 36,
    });
  if (operation.pathParams.length > 0)
    options.push({
      arbitrary: fc
        .record({ name: fc.constantFrom(...operation.pathParams.map((p) => p.name)), value: badSegment })
        .map(({ name, value }) => ({ kind: 'path parameter', params: { ...base.params, [name]: value } })),
      weight: 12,
    });
  if (operation.queryParams.length > 0)
    options.push({
      arbitrary: fc
        .record({
          name: fc.constantFrom(...operation.queryParams.map((p) => p.name)),
          value: badSegment,
          shape: fc.constantFrom('value', 'repeated', 'bracketed', 'missing'),
        })
        .map(({ name, value, shape }) => {
          const others = base.query.filter(([key]) => key !== name);
          const query: Array<[string, string]> =
            shape === 'value'
              ? [...others, [name, value]]
              : shape === 'repeated'
                ? [...others, [name, value], [name, 'b']]
                : shape === 'bracketed'
                  ? [...others, [`${name}[$ne]`, value]]
                  : others;
          return { kind: 'query parameter', query };
        }),
      weight: 6,
    });
  if (operation.headerParams.length > 0)
    options.push({
      arbitrary: fc
        .record({
          name: fc.constantFrom(...operation.headerParams.map((p) => p.name)),
          value: fc.option(printable(fc.string({ unit: 'binary-ascii', maxLength: 40 }))),
        })
        .map(({ name, value }) => ({ kind: 'header parameter', headers: { [name]: value } })),
      weight: 4,
    });
  return fc.oneof(...options);
}

/**
 * Hostile requests to one operation: a baseline built from its OpenAPI description (plausible path
 * and query values, a body valid as far as the schema tells, a token with every scope) with one
 * hostile change, so that most requests get past authentication and reach validation.
 */
export function hostileRequests(
  document: OpenApiDocument,
  operation: Operation,
  tokens: Tokens,
): fc.Arbitrary<HostileRequest> {
  return baselineOf(document, operation, tokens).chain((base) =>
    hostilities(document, operation, tokens, base).map((hostility) => {
      const params = hostility.params ?? base.params;
      const query = hostility.query ?? base.query;
      const search = query.map(([key, value]) => `${key}=${value}`).join('&');
      const body =
        hostility.body === null
          ? undefined
          : (hostility.body ?? (base.body !== undefined ? text(base.body) : undefined));
      const headers: Record<string, string> = { ...base.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      for (const [name, value] of Object.entries(hostility.headers ?? {})) {
        if (value === null) delete headers[name];
        else headers[name] = value;
      }
      return {
        kind: hostility.kind,
        method: operation.method,
        template: operation.template,
        path: pathOf(operation.template, params) + (search ? `?${search}` : ''),
        headers,
        ...(body !== undefined ? { body } : {}),
      };
    }),
  );
}
