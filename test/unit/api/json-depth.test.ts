import { plainToInstance } from 'class-transformer';
import fc from 'fast-check';
import { jsonNestingExceeds } from '../../../apps/api/src/http/json-depth';

/** JSON.parse's own depth of a parsed value: what the scan must agree with. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('jsonNestingExceeds', () => {
  const bytes = (text: string) => Buffer.from(text);

  it('counts arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(jsonNestingExceeds(bytes('[[[]]]'), 3)).toBe(false);
    expect(jsonNestingExceeds(bytes('[[[[]]]]'), 3)).toBe(true);
    expect(jsonNestingExceeds(bytes('{"a":{"b":{"c":{}}}}'), 3)).toBe(true);
    expect(jsonNestingExceeds(bytes('{"a":"[[[[[[[[{{{{"}'), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":"\\"[[[[[["}'), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":"\\\\","b":[[[]]]}'), 3)).toBe(true);
  });

  it('refuses, without recursion, a body deep enough to overflow what handles the parsed value', () => {
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(() => plainToInstance(Object, JSON.parse(text))).toThrow(RangeError);
    expect(jsonNestingExceeds(bytes(text), 64)).toBe(true);
  });

  it('agrees with the depth of any JSON value, at every limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonNestingExceeds(bytes(text), limit)).toBe(depthOf(JSON.parse(text)) > limit);
      }),
    );
  });
});
