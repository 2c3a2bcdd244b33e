/**
 * The end of a content deploy: done when every target, read through the load balancer, serves the new version.
 * A loopback "load balancer" answers round robin for two targets, as storage-source instances do (X-Site-Instance,
 * X-Site-Version), each switching when told to.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext } from '@site-cli/core/testing';
import { waitUntilLive } from '../src/resources/content-live.js';

describe('waiting until every target serves a version', () => {
  let server: Server;
  let url = '';
  let served: Record<string, string> = {};
  let requests = 0;
  /** Called on every request: lets a test switch targets as the requests come. */
  let onRequest: (count: number) => void = () => {};
  let headers = true;

  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      onRequest(requests);
      const ids = Object.keys(served);
      const id = ids[requests % ids.length]!;
      res
        .writeHead(200, headers ? { 'x-site-instance': id, 'x-site-version': served[id]! } : {})
        .end('<h1>Cafe</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    requests = 0;
    headers = true;
    onRequest = () => {};
    served = { 'i-0aaaaaaaaaaaaaaaa': 'aaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb': 'aaaaaaaaaaaa' };
  });

  const context = () => createTestContext({ source: { dir: './public' } });

  it('ends once both targets answer with the new version, one after the other', async () => {
    onRequest = (count) => {
      if (count === 10) served['i-0aaaaaaaaaaaaaaaa'] = 'bbbbbbbbbbbb';
      if (count === 25) served['i-0bbbbbbbbbbbbbbbb'] = 'bbbbbbbbbbbb';
    };
    const { ctx, log } = context();
    const result = await waitUntilLive(
      ctx,
      url,
      ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'],
      'bbbbbbbbbbbb',
    );
    assert.deepEqual(result.targets, [
      { instanceId: 'i-0aaaaaaaaaaaaaaaa', version: 'bbbbbbbbbbbb' },
      { instanceId: 'i-0bbbbbbbbbbbbbbbb', version: 'bbbbbbbbbbbb' },
    ]);
    assert.ok(requests >= 25, 'it kept asking until the second target switched');
    assert.ok(log.progress.includes('1/2 targets serve bbbbbbbbbbbb'), log.progress.join('\n'));
    assert.equal(log.progress.at(-1), '2/2 targets serve bbbbbbbbbbbb');
  });

  it('fails at its deadline naming what each target still serves', async () => {
    served['i-0aaaaaaaaaaaaaaaa'] = 'bbbbbbbbbbbb';
    const { ctx } = context();
    await assert.rejects(
      waitUntilLive(ctx, url, ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'], 'bbbbbbbbbbbb'),
      (error: { code?: string; message: string }) => {
        assert.equal(error.code, 'CONTENT_NOT_LIVE');
        assert.match(error.message, /i-0aaaaaaaaaaaaaaaa: bbbbbbbbbbbb, i-0bbbbbbbbbbbbbbbb: aaaaaaaaaaaa/);
        return true;
      },
    );
  });

  it('stops waiting, and says why, when the site answers without naming its instances', async () => {
    headers = false;
    const { ctx, log } = context();
    const result = await waitUntilLive(ctx, url, ['i-0aaaaaaaaaaaaaaaa'], 'bbbbbbbbbbbb');
    assert.deepEqual(result.targets, [{ instanceId: 'i-0aaaaaaaaaaaaaaaa', version: undefined }]);
    assert.match(log.warnings.join('\n'), /answers without the X-Site-Instance header/);
  });
});
