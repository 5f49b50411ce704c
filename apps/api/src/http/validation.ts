import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** DTO validation at the edge: unknown fields refused, the first bad field named in a 400. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'body', message: 'invalid request' };
      return ApiError.badField(problem.field, problem.message);
    },
  });
}
