import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateIf, ValidateNested } from 'class-validator';

/**
 * A nested object of a request body, validated as `type`. It must be a JSON object: class-validator's
 * `@ValidateNested` alone accepts an array (it validates each element, so `[]` passes with nothing
 * checked) and `@IsOptional` lets `null` through. An optional one may be absent, never null.
 */
export function NestedObject(
  type: () => new () => object,
  options: { optional?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : []),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(type),
  );
}
