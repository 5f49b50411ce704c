import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IDEMPOTENCY_KEY_IGNORED = 'idempotency:ignored';
/** Marks the operations in the OpenAPI document that do not take the header. */
export const IDEMPOTENCY_KEY_EXTENSION = 'x-idempotency-key';

/**
 * The route ignores `Idempotency-Key`: pure functions (the codec: the same input always gives an
 * answer of the same meaning, and nothing changes), or forms a browser posts (it cannot send the
 * header).
 */
export const IdempotencyKeyIgnored = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENCY_KEY_IGNORED, true),
    ApiExtension(IDEMPOTENCY_KEY_EXTENSION, 'ignored'),
  );
