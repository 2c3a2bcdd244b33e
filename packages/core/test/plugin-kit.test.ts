import { strict as assert } from 'node:assert';
import { createPluginApi } from '../src/create-plugin-api.js';
import { createTestContext, z } from '../src/testing/index.js';

describe('what plugins get from the core', () => {
  it('the plugin API hands plugins the zod the core validates the configuration with', () => {
    const api = createPluginApi();
    assert.equal(api.z, z);
    const section = api.z.strictObject({ port: api.z.number().int().default(443) });
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
