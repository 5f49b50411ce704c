import { Param, type PipeTransform, Query } from '@nestjs/common';
import { ApiError } from './api-error';

/** Refuses a path or query value that does not match `pattern` with a 400 naming `field`. */
class PatternPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly message: string,
  ) {}

  transform(value: unknown): string {
    // The global validation pipe may already have turned a numeric parameter into a number.
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !this.pattern.test(text))
      throw ApiError.badField(this.field, this.message);
    return text;
  }
}

const param = (name: string, pattern: RegExp, message: string) => () =>
  Param(name, new PatternPipe(name, pattern, message));

/** The card's `proxy` path parameter, validated. */
export const ProxyParam = param(
  'proxy',
  /^[A-Za-z0-9_-]{1,64}$/,
  'proxy must be 1 to 64 letters, digits, - or _',
);
/** A tokenization request's id (a UUID). */
export const RequestIdParam = param('requestId', /^[0-9a-f-]{36}$/, 'requestId must be a UUID');
export const ProgramIdParam = param(
  'programId',
  /^[\w-]{1,64}$/,
  'programId must be 1 to 64 letters, digits, _ or -',
);
export const IssuerIdParam = param('issuerId', /^[\w .-]{1,64}$/, 'issuerId must be 1 to 64 characters');
export const ShopIdParam = param('shopId', /^[\w-]{1,64}$/, 'shopId must be 1 to 64 letters, digits, _ or -');
export const CollectorIdParam = param('collectorId', /^\d{8}$/, 'collectorId must be 8 digits');
export const KeyVersionParam = () =>
  Param('version', new PatternPipe('version', /^\d{1,9}$/, 'version must be an integer'), {
    transform: (value: string) => Number(value),
  });
/** An integrator account id in the query string. */
export const AccountIdQuery = () =>
  Query(
    'accountId',
    new PatternPipe('accountId', /^[\w-]{1,64}$/, 'accountId must be 1 to 64 letters, digits, _ or -'),
  );
