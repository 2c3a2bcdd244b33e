import { strict as assert } from 'node:assert';
import nock from 'nock';
import { publicIpResource } from '../src/resources/public-ip.js';
import { createTestContext, setUpNock, tearDownNockExpectingAllCalls } from '@site-cli/core/testing';

const CHECKIP = 'http://checkip.test';

describe('network.public-ip', () => {
  const resource = publicIpResource();
  beforeEach(() => {
    setUpNock();
    process.env.SITE_CHECKIP_URL = `${CHECKIP}/`;
  });
  afterEach(() => {
    delete process.env.SITE_CHECKIP_URL;
    tearDownNockExpectingAllCalls();
  });

  it('auto: your public IP as a /32, looked up once per run', async () => {
    nock(CHECKIP).get('/').reply(200, '203.0.113.7\n');
    const { ctx, log } = createTestContext({ name: 'demo' });
    assert.deepEqual(await resource.discover(ctx), { sshCidr: '203.0.113.7/32', source: 'detected' });
    assert.deepEqual(await resource.discover(ctx), { sshCidr: '203.0.113.7/32', source: 'detected' });
    assert.deepEqual(log.warnings, []);
  });

  for (const [what, intercept] of [
    [
      'an answer that is not an IPv4 address',
      () => nock(CHECKIP).get('/').reply(200, '<html>captive portal</html>'),
    ],
    ['an HTTP error', () => nock(CHECKIP).get('/').reply(503, 'busy')],
    ['a network error', () => nock(CHECKIP).get('/').replyWithError('getaddrinfo ENOTFOUND checkip.test')],
    ['an IPv6 answer', () => nock(CHECKIP).get('/').reply(200, '2001:db8::1')],
  ] as const) {
    it(`auto: ${what} → no SSH rule and a warning, never 0.0.0.0/0`, async () => {
      intercept();
      const { ctx, log } = createTestContext({ name: 'demo' });
      assert.deepEqual(await resource.discover(ctx), { sshCidr: null, source: 'lookup-failed' });
      assert.equal(log.warnings.length, 1);
      assert.match(log.warnings[0], /No SSH rule will be added/);
      assert.match(log.warnings[0], /ssh\.cidr/);
    });
  }

  it('auto: gives up after 3 seconds without an answer', async function () {
    this.timeout(10_000);
    nock(CHECKIP).get('/').delay(5000).reply(200, '203.0.113.7');
    const { ctx, log } = createTestContext({ name: 'demo' });
    const started = Date.now();
    assert.deepEqual(await resource.discover(ctx), { sshCidr: null, source: 'lookup-failed' });
    assert.ok(Date.now() - started < 4500);
    assert.match(log.warnings[0], /within 3 s/);
  });

  it('none: no SSH rule, no lookup', async () => {
    const { ctx, log } = createTestContext({ name: 'demo', ssh: { cidr: 'none' } });
    assert.deepEqual(await resource.discover(ctx), { sshCidr: null, source: 'none' });
    assert.deepEqual(log.warnings, []);
  });

  it('a configured CIDR is used as written; the whole internet gets a warning', async () => {
    const narrow = createTestContext({ name: 'demo', ssh: { cidr: '198.51.100.0/24' } });
    assert.deepEqual(await resource.discover(narrow.ctx), { sshCidr: '198.51.100.0/24', source: 'config' });
    assert.deepEqual(narrow.log.warnings, []);
    const open = createTestContext({ name: 'demo', ssh: { cidr: '0.0.0.0/0' } });
    assert.deepEqual(await resource.discover(open.ctx), { sshCidr: '0.0.0.0/0', source: 'config' });
    assert.match(open.log.warnings[0], /open to the whole internet/);
    const open6 = createTestContext({ name: 'demo', ssh: { cidr: '::/0' } });
    assert.deepEqual(await resource.discover(open6.ctx), { sshCidr: '::/0', source: 'config' });
    assert.match(
      open6.log.warnings[0],
      /ssh\.cidr is ::\/0: SSH to the instances is open to the whole internet/,
    );
  });
});
