import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { ApiError } from '../../../apps/api/src/http/api-error';
import { NestedObject } from '../../../apps/api/src/http/nested-object';
import { validationPipe } from '../../../apps/api/src/http/validation';

class AddressDto {
  @IsString() city!: string;
}

class WithNested {
  @NestedObject(() => AddressDto) address!: AddressDto;
  @NestedObject(() => AddressDto, { optional: true }) billing?: AddressDto;
}

/** What the project used before: `ValidateNested` and `Type` alone. */
class WithValidateNestedOnly {
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
}

const validate = async (metatype: new () => object, value: unknown) => {
  try {
    return { value: await validationPipe().transform(value, { type: 'body', metatype }) };
  } catch (error) {
    return { field: ((error as ApiError).getResponse() as { field?: string }).field };
  }
};

describe('NestedObject', () => {
  it.each([
    ['missing', 'address', {}],
    ['null', 'address', { address: null }],
    ['an array of valid objects', 'address', { address: [{ city: 'Santarém' }] }],
    ['a string', 'address', { address: 'Santarém' }],
    ['an object with a bad field', 'address.city', { address: { city: 5 } }],
    ['optional but null', 'billing', { address: { city: 'a' }, billing: null }],
    ['optional but an array', 'billing', { address: { city: 'a' }, billing: [] }],
  ])('refuses a nested object that is %s, naming %s', async (_case, field, body) => {
    expect(await validate(WithNested, body)).toEqual({ field });
  });

  it('takes a valid object, and an optional one left out', async () => {
    const { value } = await validate(WithNested, { address: { city: 'Santarém' } });
    expect(value).toBeInstanceOf(WithNested);
    expect((value as WithNested).address).toBeInstanceOf(AddressDto);
    expect((value as WithNested).billing).toBeUndefined();
  });

  it('closes what ValidateNested alone lets through to the services', async () => {
    expect(await validate(WithValidateNestedOnly, {})).toHaveProperty('value');
    expect(await validate(WithValidateNestedOnly, { address: [{ city: 'a' }] })).toHaveProperty('value');
  });

  it('names the body when it is not an object at all', async () => {
    expect(await validate(WithNested, [{ address: { city: 'a' } }])).toEqual({ field: 'body' });
    expect(await validate(WithNested, 'text')).toEqual({ field: 'body' });
  });

  it.each([
    ['{"address":{"city":"a"},"__proto__":{"x":1}}', '__proto__'],
    ['{"address":{"city":"a","constructor":"x"}}', 'address.constructor'],
    ['{"address":{"city":"a"},"billing":{"city":"b","prototype":false}}', 'billing.prototype'],
  ])('refuses a prototype key (%s) as an unknown field, naming %s', async (text, field) => {
    expect(await validate(WithNested, JSON.parse(text))).toEqual({ field });
  });

  it.each([
    ['{"address":{"city":null}}', 'address.city'],
    ['{"address":{"city":"a"},"billing":{"city":null}}', 'billing.city'],
    // An unknown field is named as unknown first, null or not.
    ['{"address":{"city":"a"},"extra":null}', 'extra'],
  ])('refuses a null (%s) anywhere in the body, naming %s', async (text, field) => {
    expect(await validate(WithNested, JSON.parse(text))).toEqual({ field });
  });
});
