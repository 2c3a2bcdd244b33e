import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject } from './run-site.js';

/**
 * Another EC2/ELBv2-compatible endpoint (LocalStack, moto): the same API, but no data plane and load
 * balancer DNS names that resolve nowhere. Stood in for by aws-sim behind a proxy that hides its
 * /_sim control routes, so `site` cannot know it is a simulator.
 */
async function foreignEndpoint(sim: Simulator): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(sim.endpoint);
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/_sim/')) {
      response.writeHead(404).end();
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('site against another AWS-compatible endpoint', function () {
  this.timeout(120_000);

  it('deploys and destroys with --endpoint-url, skipping the HTTP check with a notice', async () => {
    const sim = await startSimulator({ profile: 'fast', seed: 11 });
    const endpoint = await foreignEndpoint(sim);
    try {
      const project = tempProject();
      const env = {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      };
      const deploy = await runSite(['deploy', '--yes', '--json', '--endpoint-url', endpoint.url], {
        cwd: project.dir,
        env,
      });
      assert.equal(deploy.code, 0, deploy.stderr);
      const result = JSON.parse(deploy.stdout);
      assert.ok(
        result.warnings.some((w: string) => /does not resolve/.test(w) && /HTTP check was skipped/.test(w)),
        JSON.stringify(result.warnings),
      );
      assert.match(result.result.url, /elb\.aws-sim\.invalid/);

      const destroy = await runSite(['destroy', '--yes', '--endpoint-url', endpoint.url], {
        cwd: project.dir,
        env,
      });
      assert.equal(destroy.code, 0, destroy.stderr);
      assert.match(destroy.stdout, /Nothing of barista-cafe is left/);
    } finally {
      await endpoint.close();
      await sim.stop();
    }
  });
});
