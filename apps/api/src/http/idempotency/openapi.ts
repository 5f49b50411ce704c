import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_EXTENSION } from './idempotency.decorator';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';

const HEADER: ParameterObject = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes a retry safe (IETF httpapi "The Idempotency-Key HTTP Header Field"; bare or as a quoted ' +
    'string): a repeat with the same key and the same request gets the first answer back without ' +
    'running again, also while the first is still running; the same key with another request is ' +
    '422 IDEMPOTENCY_KEY_REUSED. Scoped to the caller and the route; kept 24 h by default.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern: '^[\\x21-\\x7e]+$',
  },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
};

const MUTATING = ['post', 'put', 'patch', 'delete'] as const;

/** Describes the header on every mutating operation of the document, except those that ignore it. */
export function describeIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of MUTATING) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation || operation[IDEMPOTENCY_KEY_EXTENSION] === 'ignored') continue;
      operation.parameters = [...(operation.parameters ?? []), HEADER];
      operation.responses['422'] ??= {
        description: 'IDEMPOTENCY_KEY_REUSED: the key was used for another request',
      };
    }
  }
  return document;
}
