import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

function firstProblem(errors: ValidationError[], parent = ''): { field: string; message: string } | null {
  for (const error of errors) {
    // A body that is not an object at all (a JSON array, say) fails with no property: the body is at fault.
    const property = error.property || 'body';
    const field = parent ? `${parent}.${property}` : property;
    if (error.constraints) {
      const first = Object.values(error.constraints)[0];
      const message = error.property ? first.replace(error.property, field) : first;
      return { field, message };
    }
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/** Keys class-transformer drops without a word, since they would reach prototypes. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first part of a parsed body no DTO may take, and why: a prototype key (refused like any other
 * unknown field instead of silently dropped) or a null. `IsOptional` lets null through as if the field
 * were absent, and services then get a null they cannot use; no field of this API takes null, so a
 * field is sent with a value or left out. The body's depth is bounded by the parser.
 */
function refusedPart(value: unknown, path = ''): { field: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return { field, message: `property ${field} should not exist` };
    if (child === null) return { field, message: `${field} must not be null: leave it out instead` };
    const nested = refusedPart(child, field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * A JSON body a DTO describes must be an object (an array would be validated element by element),
 * and holds neither prototype keys nor nulls.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const body = metadata.type === 'body' && value !== undefined && this.toValidate(metadata);
    if (body && (typeof value !== 'object' || value === null || Array.isArray(value)))
      throw ApiError.badField('body', 'the body must be a JSON object');
    // Read on the body as sent: Nest strips prototype keys from it before validating.
    const refused = body ? refusedPart(value) : undefined;
    const validated: unknown = await super.transform(value, metadata);
    // The DTO's own refusals come first: an unknown field is named as unknown, not as null.
    if (refused) throw ApiError.badField(refused.field, refused.message);
    return validated;
  }
}

/** DTO validation at the edge: unknown fields refused, the first bad field named in a 400. */
export function validationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'body', message: 'invalid request' };
      return ApiError.badField(problem.field, problem.message);
    },
  });
}
