import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { expectedMessage } from '../src/config/zod-error-map.js';

/**
 * The error map reads zod's internals (a schema's checks, description and keys): each kind of zod issue is
 * pinned here, so a zod upgrade that moves them fails in this one place.
 */
function expected(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { error: expectedMessage });
  assert.equal(result.success, false, `${JSON.stringify(value)} should not parse`);
  return result.error!.issues.map((issue) => issue.message);
}

describe('the configuration error map: what was expected, in words', () => {
  it('names the type, with the schema description or first custom message as a hint', () => {
    assert.deepEqual(expected(z.string(), 1), ['a string']);
    assert.deepEqual(expected(z.boolean(), 'yes'), ['true or false']);
    assert.deepEqual(expected(z.array(z.string()), {}), ['a list']);
    assert.deepEqual(expected(z.strictObject({}), 'x'), ['a mapping (key: value)']);
    assert.deepEqual(expected(z.number().describe('Seconds between checks.'), 'ten'), [
      'a number (seconds between checks)',
    ]);
    assert.deepEqual(
      expected(
        z.string().refine(() => true, 'a thing of the right kind'),
        3,
      ),
      ['a string (a thing of the right kind)'],
    );
  });

  it('says the bound of a length, a count or a number, and whether it is included', () => {
    assert.deepEqual(expected(z.string().min(3), 'ab'), ['at least 3 characters']);
    assert.deepEqual(expected(z.string().max(2), 'abc'), ['at most 2 characters']);
    assert.deepEqual(expected(z.array(z.number()).min(1), []), ['at least 1 items']);
    assert.deepEqual(expected(z.number().gt(0), 0), ['a number more than 0']);
    assert.deepEqual(expected(z.number().lt(10), 10), ['a number less than 10']);
    assert.deepEqual(expected(z.number().int(), 1.5), ['a whole number']);
    assert.deepEqual(expected(z.number().multipleOf(5), 7), ['a multiple of 5']);
  });

  it('lists the choices of an enum and the known keys of a strict mapping', () => {
    assert.deepEqual(expected(z.enum(['a', 'b']), 'c'), ['one of: "a", "b"']);
    const alb = z.strictObject({ port: z.number().optional(), $schema: z.string().optional() });
    assert.deepEqual(expected(alb, { prot: 1 }), ['one of: port']);
  });

  it('gives a URL an example, a union its hint, and a bad record key its own words', () => {
    assert.deepEqual(expected(z.url(), 'not a url'), ['a URL such as https://example.com']);
    assert.deepEqual(expected(z.union([z.literal('auto'), z.number()]).describe('Auto or a number.'), 'x'), [
      'auto or a number',
    ]);
    assert.deepEqual(expected(z.union([z.literal('auto'), z.number()]), 'x'), ['a value of another form']);
    assert.deepEqual(expected(z.record(z.string().max(1), z.string()), { long: 'v' }), ['a valid key']);
  });
});
