import { strict as assert } from 'node:assert';
import { chooseRenderer, rendererWarning } from '../src/output/renderer.js';

describe('the renderer choice', () => {
  it('SITE_RENDERER picks simple or silent; --json is always silent', () => {
    assert.equal(chooseRenderer({ env: { SITE_RENDERER: 'simple' }, isTTY: true }), 'simple');
    assert.equal(chooseRenderer({ env: { SITE_RENDERER: 'silent' }, isTTY: true }), 'silent');
    assert.equal(chooseRenderer({ env: { SITE_RENDERER: 'simple' }, json: true }), 'silent');
    assert.equal(chooseRenderer({ env: {}, isTTY: true }), 'default');
    assert.equal(chooseRenderer({ env: {}, isTTY: false }), 'simple');
  });

  it('an unknown SITE_RENDERER is ignored with a warning that lists the choices', () => {
    assert.equal(rendererWarning({}), undefined);
    assert.equal(rendererWarning({ SITE_RENDERER: 'silent' }), undefined);
    assert.equal(chooseRenderer({ env: { SITE_RENDERER: 'fancy' }, isTTY: true }), 'default');
    assert.equal(
      rendererWarning({ SITE_RENDERER: 'fancy' }),
      'SITE_RENDERER="fancy" is not one of default, simple, silent: it is ignored.',
    );
  });
});
