import { strict as assert } from 'node:assert';
import { createRuntime } from '../src/runtime-impl.js';
import { createTestContext, z } from '../src/testing/index.js';

describe('what plugins get from the core', () => {
  it('the runtime hands plugins the zod the core validates the configuration with', () => {
    const runtime = createRuntime();
    assert.equal(runtime.z, z);
    const section = runtime.z.strictObject({ port: runtime.z.number().int().default(443) });
    assert.deepEqual(section.parse({}), { port: 443 });
  });

  it('createTestContext takes plugin sections: parsed with their defaults, unknown keys still refused', () => {
    const sections = [{ key: 'cdn', schema: z.strictObject({ ttl: z.number().default(60) }) }];
    assert.deepEqual(createTestContext({ cdn: { ttl: 5 } }, { sections }).ctx.config.cdn, { ttl: 5 });
    assert.deepEqual(createTestContext({}, { sections }).ctx.config.cdn, { ttl: 60 });
    assert.throws(() => createTestContext({ cdn: { ttl: 'x' } }, { sections }));
    assert.throws(() => createTestContext({ cdn: {} }));
  });
});
