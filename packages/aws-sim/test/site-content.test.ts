import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { unpackSiteZip } from '../src/content/site-zip.js';
import { answerFrom, filesVersion } from '../src/content/web-root.js';
import { downloadUrlFor } from '../src/content/zip-source.js';
import { ManualClock, startSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';
import { al2023Image, clients, httpForwardListener, userData } from './helpers.js';

const zip = (files: Record<string, string>) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])) as Zippable);

const filesOf = (bytes: Uint8Array) => {
  const out = unpackSiteZip(bytes, 'http://x/site.zip');
  assert.ok('files' in out, JSON.stringify(out));
  return Object.fromEntries([...out.files].map(([k, v]) => [k, v.toString()]));
};

describe('site zips: the setup script rule', () => {
  it('publishes the single top folder, or the top when files sit there', () => {
    assert.deepEqual(filesOf(zip({ 'cafe/index.html': 'hi', 'cafe/css/a.css': 'c' })), {
      'index.html': 'hi',
      'css/a.css': 'c',
    });
    assert.deepEqual(filesOf(zip({ 'index.html': 'hi', 'css/a.css': 'c' })), {
      'index.html': 'hi',
      'css/a.css': 'c',
    });
    // Two top folders: the zip's top is the root.
    assert.deepEqual(filesOf(zip({ 'a/index.html': '1', 'b/x.txt': '2' })), {
      'a/index.html': '1',
      'b/x.txt': '2',
    });
    // One top file only: not a folder, so the top is the root.
    assert.deepEqual(filesOf(zip({ 'index.html': 'only' })), { 'index.html': 'only' });
  });

  it('drops __MACOSX and .DS_Store, which never count as a top folder', () => {
    assert.deepEqual(
      filesOf(
        zip({
          'cafe/index.html': 'hi',
          'cafe/.DS_Store': 'x',
          '__MACOSX/cafe/._index.html': 'x',
          '.DS_Store': 'x',
        }),
      ),
      { 'index.html': 'hi' },
    );
  });

  it('fails as the script does: no files, not a zip', () => {
    assert.deepEqual(unpackSiteZip(zipSync({}), 'http://x/e.zip'), {
      failure: 'http://x/e.zip holds no files',
    });
    assert.deepEqual(unpackSiteZip(zip({ '__MACOSX/a': 'x', 'cafe/.DS_Store': 'x' }), 'http://x/m.zip'), {
      failure: 'http://x/m.zip holds no files',
    });
    assert.deepEqual(unpackSiteZip(strToU8('<html>not found</html>'), 'http://x/h.zip'), {
      failure: 'http://x/h.zip is not a readable zip file (unzip exited with status 9)',
    });
  });

  it('answers like httpd: index.html for a folder, the file type, 301 to the slash, 403 and 404', () => {
    const files = new Map(
      Object.entries({ 'index.html': '<h1>cafe</h1>', 'css/site.css': 'body{}', 'menu/index.html': 'm' }).map(
        ([k, v]) => [k, Buffer.from(v)],
      ),
    );
    const root = { version: filesVersion(files), files };
    assert.match(root.version, /^sha256:[0-9a-f]{16}$/);
    const home = answerFrom(root, '/?utm=1');
    assert.equal(home.status, 200);
    assert.equal(home.body.toString(), '<h1>cafe</h1>');
    assert.equal(home.headers['content-type'], 'text/html; charset=UTF-8');
    assert.equal(answerFrom(root, '/css/site.css').headers['content-type'], 'text/css; charset=UTF-8');
    assert.deepEqual(
      [answerFrom(root, '/menu').status, answerFrom(root, '/menu').headers.location],
      [301, '/menu/'],
    );
    assert.equal(answerFrom(root, '/menu/').body.toString(), 'm');
    assert.equal(answerFrom(root, '/css/').status, 403);
    assert.equal(answerFrom(root, '/nope.html').status, 404);
    assert.equal(answerFrom(root, '/%2e%2e/etc/passwd').status, 403);
  });

  it('maps Tooplate URLs to a mirror, and leaves other URLs alone', () => {
    const t = 'https://www.tooplate.com/zip-templates/2137_barista_cafe.zip';
    assert.equal(downloadUrlFor(t, 'http://127.0.0.1:9/z'), 'http://127.0.0.1:9/z/2137_barista_cafe.zip');
    assert.equal(downloadUrlFor(t, undefined), t);
    assert.equal(
      downloadUrlFor('https://example.com/a.zip', 'http://127.0.0.1:9/'),
      'https://example.com/a.zip',
    );
  });
});

/** A loopback server answering each path from `routes` (a zip, or a status), and counting the requests. */
async function zipServer(routes: Record<string, Uint8Array | number>) {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    const route = routes[req.url ?? ''];
    if (route === undefined || typeof route === 'number') return void res.writeHead(route ?? 404).end('no');
    res.writeHead(200, { 'content-type': 'application/zip' }).end(route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, hits: () => hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const siteScript = (vars: string) =>
  userData(`#!/bin/bash\n${vars}\ndnf install -y httpd unzip\necho "SITE SETUP DONE: httpd serves x"\n`);

/** One instance behind a load balancer, moved on a manual clock until its target's checks have run. */
async function site(sim: Simulator, clock: ManualClock, script: string) {
  const { ec2: e, elb: l } = clients(sim);
  const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
  const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
  const ami = await al2023Image(e);
  const inst = (
    await e.send(
      new ec2.RunInstancesCommand({
        ImageId: ami.ImageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        UserData: script,
      }),
    )
  ).Instances![0]!;
  clock.advance(20_000);
  const tgArn = (
    await l.send(new elb.CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }))
  ).TargetGroups![0]!.TargetGroupArn!;
  const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'alb', Subnets: subnets })))
    .LoadBalancers![0]!;
  await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] }));
  await httpForwardListener(l, lb.LoadBalancerArn, tgArn);
  clock.advance(300_000);
  const health = (await l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn })))
    .TargetHealthDescriptions![0]!.TargetHealth!;
  const console = await e.send(new ec2.GetConsoleOutputCommand({ InstanceId: inst.InstanceId }));
  return {
    instanceId: inst.InstanceId!,
    health,
    console: Buffer.from(console.Output ?? '', 'base64').toString(),
    url: sim.dataPlaneUrl(lb.DNSName!)!,
  };
}

async function withSim(opts: SimulatorOptions, fn: (sim: Simulator, clock: ManualClock) => Promise<void>) {
  const clock = new ManualClock();
  const sim = await startSimulator({ profile: 'realistic', clock, ...opts });
  try {
    await fn(sim, clock);
  } finally {
    await sim.stop();
  }
}

describe('the data plane serves what the instance published', () => {
  const template = zip({
    '2137_barista_cafe/index.html': '<h1>Barista Cafe</h1>',
    '2137_barista_cafe/css/tooplate.css': 'body{color:brown}',
    '__MACOSX/2137_barista_cafe/._index.html': 'junk',
  });

  it("serves a loopback source.url zip's real files, with the version and instance headers", async () => {
    const zips = await zipServer({ '/site.zip': template });
    try {
      await withSim({}, async (sim, clock) => {
        const s = await site(sim, clock, siteScript(`SITE_URL='${zips.base}/site.zip'`));
        assert.equal(s.health.State, 'healthy');
        const home = await fetch(s.url);
        assert.equal(home.status, 200);
        assert.equal(await home.text(), '<h1>Barista Cafe</h1>');
        assert.equal(home.headers.get('x-site-instance'), s.instanceId);
        assert.match(home.headers.get('x-site-version') ?? '', /^sha256:[0-9a-f]{16}$/);
        const css = await fetch(new URL('css/tooplate.css', s.url));
        assert.equal(css.headers.get('content-type'), 'text/css; charset=UTF-8');
        assert.equal(await css.text(), 'body{color:brown}');
        assert.equal((await fetch(new URL('missing.html', s.url))).status, 404);
      });
    } finally {
      await zips.close();
    }
  });

  it('fetches a Tooplate zip from the mirror once, and keeps it in the cache by its URL', async () => {
    const zips = await zipServer({ '/mirror/2137_barista_cafe.zip': template });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'aws-sim-zips-'));
    const script = siteScript(`SITE_URL='https://www.tooplate.com/zip-templates/2137_barista_cafe.zip'`);
    try {
      await withSim({ tooplateMirror: `${zips.base}/mirror/`, zipCacheDir: cacheDir }, async (sim, clock) => {
        const s = await site(sim, clock, script);
        assert.equal(s.health.State, 'healthy');
        assert.match(
          s.console,
          /SITE SETUP DONE: httpd serves https:\/\/www\.tooplate\.com\/zip-templates\/2137_barista_cafe\.zip/,
        );
        assert.equal(await (await fetch(s.url)).text(), '<h1>Barista Cafe</h1>');
      });
      assert.equal(zips.hits(), 1);
      assert.equal(readdirSync(cacheDir).length, 1);
      await zips.close();
      // No mirror, no server: the cached zip is served.
      await withSim({ zipCacheDir: cacheDir }, async (sim, clock) => {
        const s = await site(sim, clock, script);
        assert.equal(s.health.State, 'healthy');
        assert.equal(await (await fetch(s.url)).text(), '<h1>Barista Cafe</h1>');
      });
    } finally {
      await zips.close().catch(() => {});
    }
  });

  it('a zip that cannot be fetched or read fails the setup with the reason: unhealthy targets, nothing served', async () => {
    const zips = await zipServer({ '/gone.zip': 404, '/page.zip': strToU8('<html></html>') });
    try {
      for (const [route, reason] of [
        ['/gone.zip', 'the server answered HTTP 404'],
        ['/page.zip', 'is not a readable zip file'],
      ] as const) {
        await withSim({}, async (sim, clock) => {
          const s = await site(sim, clock, siteScript(`SITE_URL='${zips.base}${route}'`));
          assert.equal(s.health.State, 'unhealthy');
          assert.equal(s.health.Reason, 'Target.FailedHealthChecks');
          assert.match(s.console, new RegExp(`SITE SETUP FAILED: .*${reason}`));
          assert.equal((await fetch(s.url)).status, 503);
        });
      }
    } finally {
      await zips.close();
    }
  });
});

describe('health checks find what httpd answers', () => {
  it("a zip without index.html answers / with 403: unhealthy with AWS's ResponseCodeMismatch", async () => {
    const zips = await zipServer({ '/no-index.zip': zip({ 'cafe/about.html': 'about' }) });
    try {
      await withSim({}, async (sim, clock) => {
        const s = await site(sim, clock, siteScript(`SITE_URL='${zips.base}/no-index.zip'`));
        assert.deepEqual(s.health, {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [403]',
        });
        assert.match(s.console, /SITE SETUP DONE/);
      });
    } finally {
      await zips.close();
    }
  });
});

describe('a storage source: the pointer polled on the simulator clock', () => {
  it('boots into the current version, switches whole at the next poll, and never to a broken release', async () => {
    const objects = new Map<string, Buffer>();
    const put = (key: string, body: Uint8Array | string) =>
      objects.set(`cafe-bucket/${key}`, Buffer.from(body));
    const release = (version: string, html: string) => {
      const archive = zip({ 'index.html': html, 'about.html': `about ${version}` });
      put(`releases/${version}.zip`, archive);
      const sha256 = createHash('sha256').update(archive).digest('hex');
      put('current.json', JSON.stringify({ version, key: `releases/${version}.zip`, sha256 }));
    };
    const script = siteScript(
      "SITE_CONTENT_BUCKET='cafe-bucket'\nSITE_CONTENT_POINTER='current.json'\nSITE_CONTENT_POLL_SECONDS='2'",
    );
    await withSim({ objects: (_ctx, bucket, key) => objects.get(`${bucket}/${key}`) }, async (sim, clock) => {
      // No release yet: httpd has nothing to serve, so the target never turns healthy.
      const bare = await site(sim, clock, script);
      assert.equal(bare.health.State, 'unhealthy');
      release('v1', 'one');
      const page = async (p = '') => {
        const r = await fetch(new URL(p, bare.url));
        return { body: await r.text(), version: r.headers.get('x-site-version') };
      };
      clock.advance(60_000);
      assert.deepEqual(await page(), { body: 'one', version: 'v1' });
      release('v2', 'two');
      // Within the same poll interval the instance still serves v1, every file of it.
      assert.deepEqual(await page('about.html'), { body: 'about v1', version: 'v1' });
      clock.advance(2_000);
      assert.deepEqual(await page(), { body: 'two', version: 'v2' });
      assert.deepEqual(await page('about.html'), { body: 'about v2', version: 'v2' });
      // A pointer to an archive that does not match its sha256 is not switched to.
      put('current.json', JSON.stringify({ version: 'v3', key: 'releases/v2.zip', sha256: '00' }));
      clock.advance(2_000);
      assert.deepEqual(await page(), { body: 'two', version: 'v2' });
    });
  });
});

describe("a storage source read from the simulator's own S3", () => {
  it('serves the release the pointer in the bucket names, once uploaded through the S3 API', async () => {
    await withSim({}, async (sim, clock) => {
      const s3 = new S3Client({
        endpoint: sim.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      await s3.send(new CreateBucketCommand({ Bucket: 'cafe-site-content' }));
      const archive = zip({ 'index.html': '<h1>from the bucket</h1>' });
      const version = 'a1b2c3d4e5f6';
      await s3.send(
        new PutObjectCommand({ Bucket: 'cafe-site-content', Key: `releases/${version}.zip`, Body: archive }),
      );
      const sha256 = createHash('sha256').update(archive).digest('hex');
      await s3.send(
        new PutObjectCommand({
          Bucket: 'cafe-site-content',
          Key: 'current.json',
          Body: JSON.stringify({ version, key: `releases/${version}.zip`, sha256 }),
        }),
      );
      const s = await site(
        sim,
        clock,
        siteScript(
          "SITE_CONTENT_BUCKET='cafe-site-content'\nSITE_CONTENT_POINTER='current.json'\nSITE_CONTENT_POLL_SECONDS='2'",
        ),
      );
      assert.equal(s.health.State, 'healthy');
      assert.match(s.console, /SITE SETUP DONE: httpd serves s3:\/\/cafe-site-content\/current\.json/);
      const page = await fetch(s.url);
      assert.equal(await page.text(), '<h1>from the bucket</h1>');
      assert.equal(page.headers.get('x-site-version'), version);
      assert.equal(page.headers.get('x-site-instance'), s.instanceId);
    });
  });
});
