import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

function firstProblem(errors: ValidationError[], parent = ''): { field: string; message: string } | null {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0].replace(error.property, field);
      return { field, message };
    }
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/**
 * A body declared as a DTO must be a JSON object. Left to class-validator, an array body would be
 * validated as if it were the object (its elements' fields reported as unknown properties).
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata) {
    const object = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && value !== undefined && !object && this.toValidate(metadata))
      throw ApiError.badField('body', 'the body must be a JSON object');
    return super.transform(value, metadata);
  }
}

/** DTO validation at the edge: unknown fields refused, the first bad field named in a 400. */
export function validationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'body', message: 'invalid request' };
      return ApiError.badField(problem.field, problem.message);
    },
  });
}
