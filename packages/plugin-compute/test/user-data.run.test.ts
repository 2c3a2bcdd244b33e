/**
 * The user data, run for real: the generated script (and a userDataFile) under bash in a mount namespace,
 * fetching zips from a loopback server with the real curl and unzip. What a user would check afterwards:
 * the files httpd serves, the one line the script ends with on the console, what it asked dnf and systemctl.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestContext } from '@site-cli/core/testing';
import { userDataText } from '../src/spec.js';
import { buildUserData } from '../src/user-data.js';
import { buildStorageUserData } from '../src/user-data-storage.js';
import { FakeInstance, namespaceSupport, type RunResult } from './user-data-instance.js';
import { buildZip, damageFirstEntry } from './user-data-zip.js';

const TEMPLATE = { id: '2137', name: 'barista_cafe' };
const INDEX = '<!doctype html><title>Barista Cafe</title><h1>Barista Cafe</h1>';
const CSS = 'body { color: #3b2a1a; }';

/** A Tooplate-like template: everything inside one folder named after it. */
const ONE_FOLDER = buildZip([
  { name: '2137_barista_cafe/' },
  { name: '2137_barista_cafe/index.html', content: INDEX },
  { name: '2137_barista_cafe/css/' },
  { name: '2137_barista_cafe/css/style.css', content: CSS },
  { name: '2137_barista_cafe/.htaccess', content: 'Options -Indexes\n' },
]);
/** Files at the zip's top, as `zip -r site.zip *` makes them. */
const FLAT = buildZip([
  { name: 'index.html', content: INDEX },
  { name: 'about.html', content: '<h1>About</h1>' },
  { name: 'css/style.css', content: CSS },
]);
/** Made with the Finder: the folder, plus __MACOSX/ with AppleDouble files and .DS_Store files. */
const MAC = buildZip([
  { name: 'barista/' },
  { name: 'barista/index.html', content: INDEX },
  { name: 'barista/.DS_Store', content: 'Bud1' },
  { name: 'barista/css/style.css', content: CSS },
  { name: '__MACOSX/' },
  { name: '__MACOSX/barista/' },
  { name: '__MACOSX/barista/._index.html', content: 'Mac OS X resource fork' },
  { name: '.DS_Store', content: 'Bud1' },
]);
/** Owner-only modes, as a zip made from a private folder carries them. */
const PRIVATE_MODES = buildZip([
  { name: 'site/', mode: 0o700 },
  { name: 'site/index.html', content: INDEX, mode: 0o600 },
  { name: 'site/img/', mode: 0o700 },
  { name: 'site/img/logo.svg', content: '<svg/>', mode: 0o600 },
]);
const TWO_FOLDERS = buildZip([
  { name: 'site-a/index.html', content: INDEX },
  { name: 'site-b/index.html', content: INDEX },
]);
const EMPTY = buildZip([]);
const ONLY_FOLDERS = buildZip([{ name: 'site/' }, { name: 'site/css/' }]);

interface Route {
  status: number;
  body: Buffer | string;
  location?: string;
}

const ROUTES: Record<string, Route> = {
  '/one-folder.zip': { status: 200, body: ONE_FOLDER },
  '/flat.zip': { status: 200, body: FLAT },
  '/mac.zip': { status: 200, body: MAC },
  '/private-modes.zip': { status: 200, body: PRIVATE_MODES },
  '/two-folders.zip': { status: 200, body: TWO_FOLDERS },
  '/empty.zip': { status: 200, body: EMPTY },
  '/only-folders.zip': { status: 200, body: ONLY_FOLDERS },
  '/html-page.zip': {
    status: 200,
    body: '<!doctype html><title>Download</title><p>Click here to download.</p>',
  },
  '/truncated.zip': { status: 200, body: ONE_FOLDER.subarray(0, Math.floor(ONE_FOLDER.length / 2)) },
  '/damaged.zip': { status: 200, body: damageFirstEntry(FLAT) },
  '/moved.zip': { status: 302, body: '', location: '/one-folder.zip' },
};

const DNF = 'dnf install -y httpd unzip';
const SYSTEMCTL = 'systemctl enable --now httpd';
/** Whether the console can be captured: a missing /dev/console cannot be bound over. */
const HAS_CONSOLE = existsSync('/dev/console');

describe('user data, run for real (bash in a mount namespace, loopback zips)', function () {
  let unshareArgs: string[] = [];
  let server: Server;
  let base = '';
  const requests: string[] = [];
  let instance: FakeInstance;

  before(async function () {
    const support = namespaceSupport();
    if ('reason' in support) {
      console.log(`      skipped: ${support.reason}`);
      this.skip();
    }
    unshareArgs = support.unshareArgs;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      // Busy once, as a CDN can be: curl's --retry must carry the script over it.
      if (req.url === '/busy-once.zip' && requests.filter((url) => url === req.url).length === 1) {
        res.writeHead(503).end('Service Unavailable');
        return;
      }
      const route = req.url === '/busy-once.zip' ? ROUTES['/flat.zip'] : ROUTES[req.url ?? ''];
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
        return;
      }
      res.writeHead(route.status, route.location ? { location: route.location } : {}).end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    requests.length = 0;
    instance = await FakeInstance.create(unshareArgs);
  });

  afterEach(async () => {
    await instance.destroy();
  });

  function scriptFor(path: string): string {
    return buildUserData({ template: TEMPLATE, source: { url: `${base}${path}` } });
  }

  async function runOk(path: string): Promise<RunResult> {
    const result = await instance.run(scriptFor(path));
    assert.equal(result.harnessErrors, '', 'the namespace set-up complained');
    assert.equal(result.status, 0, `the script failed:\n${result.output}`);
    const done = `SITE SETUP DONE: httpd serves ${base}${path}`;
    assert.equal(lastLine(result.output), done);
    if (HAS_CONSOLE) assert.equal(await instance.console(), `${done}\n`);
    assert.deepEqual(await instance.stubCalls(), [DNF, SYSTEMCTL]);
    assert.deepEqual(await instance.tmp(), [], 'the download folder is removed');
    assert.deepEqual(await instance.varWww(), ['html'], 'no staging folder is left in /var/www');
    return result;
  }

  /**
   * A failure: exit 1, exactly one failure line (the last), the same on the console and in the log, and
   * httpd never started. `reason` is the text after `SITE SETUP FAILED: `, or a pattern for it.
   */
  async function runFailing(script: string, reason: string | RegExp): Promise<RunResult> {
    const result = await instance.run(script);
    assert.equal(result.harnessErrors, '', 'the namespace set-up complained');
    assert.equal(result.status, 1, `expected exit 1:\n${result.output}`);
    const failures = result.output.split('\n').filter((l) => l.includes('SITE SETUP'));
    assert.equal(failures.length, 1, `one outcome line, got:\n${result.output}`);
    const line = failures[0];
    const pattern = typeof reason === 'string' ? new RegExp(`^${escapeRegExp(reason)}$`) : reason;
    assert.match(line.replace(/^SITE SETUP FAILED: /, ''), pattern);
    assert.ok(line.startsWith('SITE SETUP FAILED: '), line);
    assert.equal(lastLine(result.output), line);
    if (HAS_CONSOLE) assert.equal(await instance.console(), `${line}\n`);
    assert.equal(lastLine(await instance.setupLog()), line);
    assert.ok(!(await instance.stubCalls()).includes(SYSTEMCTL), 'httpd is not started');
    assert.deepEqual(await instance.tmp(), [], 'the download folder is removed');
    return result;
  }

  it('serves the single top folder of a Tooplate-like zip, dotfiles included', async () => {
    await runOk('/one-folder.zip');
    assert.deepEqual(await instance.documentRoot(), {
      'index.html': INDEX,
      'css/style.css': CSS,
      '.htaccess': 'Options -Indexes\n',
    });
    assert.deepEqual(requests, ['/one-folder.zip']);
  });

  it('serves a zip whose files sit at the top as they are', async () => {
    await runOk('/flat.zip');
    assert.deepEqual(await instance.documentRoot(), {
      'index.html': INDEX,
      'about.html': '<h1>About</h1>',
      'css/style.css': CSS,
    });
  });

  it('drops __MACOSX and .DS_Store, so a zip made on a Mac still has its one top folder served', async () => {
    await runOk('/mac.zip');
    assert.deepEqual(await instance.documentRoot(), { 'index.html': INDEX, 'css/style.css': CSS });
  });

  it('makes every file readable by httpd, whatever modes the zip carries', async () => {
    await runOk('/private-modes.zip');
    assert.deepEqual(await instance.documentRoot(), { 'index.html': INDEX, 'img/logo.svg': '<svg/>' });
    assert.deepEqual(await instance.documentRootModes(), {
      '.': 0o755,
      'index.html': 0o644,
      img: 0o755,
      'img/logo.svg': 0o644,
    });
  });

  it('follows a redirect to the zip', async () => {
    await runOk('/moved.zip');
    assert.deepEqual(requests, ['/moved.zip', '/one-folder.zip']);
    assert.equal((await instance.documentRoot())['index.html'], INDEX);
  });

  it('retries a download the server answered 503, and serves what the retry got', async () => {
    await runOk('/busy-once.zip');
    assert.deepEqual(requests, ['/busy-once.zip', '/busy-once.zip']);
    assert.equal((await instance.documentRoot())['index.html'], INDEX);
  });

  it('serves two top folders as they are, and warns that / has no index.html', async () => {
    const result = await runOk('/two-folders.zip');
    assert.deepEqual(Object.keys(await instance.documentRoot()).sort(), [
      'site-a/index.html',
      'site-b/index.html',
    ]);
    assert.ok(
      result.output.includes(
        `site-setup: warning: ${base}/two-folders.zip has no index.html at its top, so httpd answers / with 403`,
      ),
      result.output,
    );
  });

  it('replaces the previous site wholly on a second run (no file of the old one stays)', async () => {
    await runOk('/flat.zip');
    await instance.run(scriptFor('/one-folder.zip'));
    assert.deepEqual(Object.keys(await instance.documentRoot()).sort(), [
      '.htaccess',
      'css/style.css',
      'index.html',
    ]);
    assert.deepEqual(await instance.varWww(), ['html']);
  });

  it('fails on a 404 with one line naming the URL and the status, leaving the served site as it was', async () => {
    await runOk('/flat.zip');
    const before = await instance.documentRoot();
    await runFailing(
      scriptFor('/gone.zip'),
      `could not download ${base}/gone.zip: the server answered HTTP 404`,
    );
    assert.deepEqual(await instance.documentRoot(), before);
    assert.deepEqual(await instance.varWww(), ['html']);
  });

  it('fails on an empty zip, and on one holding only folders: nothing to serve', async () => {
    await runFailing(scriptFor('/empty.zip'), `${base}/empty.zip holds no files`);
    assert.deepEqual(await instance.varWww(), [], 'no document root is made');
    await runFailing(scriptFor('/only-folders.zip'), `${base}/only-folders.zip holds no files`);
  });

  it('fails on what is not a zip: an HTML page, a truncated download, a damaged entry', async () => {
    await runFailing(
      scriptFor('/html-page.zip'),
      `${base}/html-page.zip is not a readable zip file (unzip exited with status 9)`,
    );
    await runFailing(
      scriptFor('/truncated.zip'),
      `${base}/truncated.zip is not a readable zip file (unzip exited with status 9)`,
    );
    const damaged = await runFailing(
      scriptFor('/damaged.zip'),
      `${base}/damaged.zip is not a readable zip file (unzip exited with status 2)`,
    );
    assert.match(damaged.output, /index\.html/, 'unzip’s own complaint, naming the entry, is in the log');
    assert.deepEqual(await instance.varWww(), [], 'no half-unpacked site is published');
  });

  it('fails when nothing answers at the URL, quoting curl', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closedPort}/site.zip`;
    // curl's wording after "curl: (7)" differs between versions.
    await runFailing(
      buildUserData({ template: TEMPLATE, source: { url } }),
      new RegExp(`^could not download ${escapeRegExp(url)}: curl: \\(7\\) .*127\\.0\\.0\\.1.*${closedPort}`),
    );
  });

  it('fails when dnf cannot install httpd, before downloading anything', async () => {
    await instance.stub('dnf', 1);
    await runFailing(scriptFor('/flat.zip'), 'could not install httpd and unzip (dnf exited with status 1)');
    assert.deepEqual(requests, []);
  });

  it('fails when systemctl cannot start httpd', async () => {
    await instance.stub('systemctl', 5);
    const result = await instance.run(scriptFor('/flat.zip'));
    assert.equal(result.status, 1);
    const line = 'SITE SETUP FAILED: could not start httpd (systemctl exited with status 5)';
    assert.equal(lastLine(result.output), line);
    if (HAS_CONSOLE) assert.equal(await instance.console(), `${line}\n`);
    assert.deepEqual(await instance.stubCalls(), [DNF, SYSTEMCTL]);
  });

  it('reports any other failing command in the same one-line form, with its line and status', async () => {
    await instance.putFile('var/www', 'a file where the folder should be');
    const script = scriptFor('/flat.zip');
    const line = script.split('\n').indexOf('mkdir -p /var/www') + 1;
    await runFailing(script, `line ${line}: "mkdir -p /var/www" exited with status 1`);
  });

  it('runs an instance.userDataFile exactly as the user wrote it', async () => {
    const configDir = join(dirname(fileURLToPath(import.meta.url)), 'user-data-fixtures');
    const { ctx } = createTestContext({ instance: { userDataFile: 'setup.sh' } }, { configDir });
    const { text } = await userDataText(ctx);
    const result = await instance.run(text);
    assert.equal(result.harnessErrors, '');
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(await instance.documentRoot(), {
      'index.html': '<!doctype html>\n<title>Barista Cafe</title>\n<h1>Opening soon</h1>\n',
    });
    assert.deepEqual(await instance.stubCalls(), ['dnf install -y httpd', SYSTEMCTL]);
  });
});

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A `source.dir` site's user data, run for real: IMDSv2 and S3 are one loopback server that insists on the
 * instance role's session credentials (SigV4 with its token), releases are zips with their sha256 in the pointer.
 */
describe('user data of a source.dir site, run for real (loopback IMDS and S3)', function () {
  const INSTANCE_ID = 'i-0123456789abcdef0';
  const ROLE = 'cafe-instance-role';
  const ACCESS_KEY = 'ASIAROLECREDENTIALS';
  const SESSION_TOKEN = 'role-session-token';
  const OVERLAYS = ['/etc', '/usr/local/sbin'];
  let unshareArgs: string[] = [];
  let server: Server;
  let base = '';
  let instance: FakeInstance;
  const objects = new Map<string, Buffer>();
  const refused: string[] = [];

  const release = (version: string, heading: string) => {
    const zip = buildZip([
      { name: 'index.html', content: `<!doctype html><h1>${heading}</h1>` },
      { name: 'css/style.css', content: CSS },
    ]);
    objects.set(`releases/${version}.zip`, zip);
    return {
      version,
      key: `releases/${version}.zip`,
      sha256: createHash('sha256').update(zip).digest('hex'),
    };
  };
  const point = (pointer: { version: string; key: string; sha256: string }) =>
    objects.set('current.json', Buffer.from(JSON.stringify(pointer)));

  before(async function () {
    const support = namespaceSupport();
    if ('reason' in support) {
      console.log(`      skipped: ${support.reason}`);
      this.skip();
    }
    unshareArgs = support.unshareArgs;
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/latest/api/token') {
        if (req.method !== 'PUT') return void res.writeHead(405).end();
        return void res.end('imds-session');
      }
      if (url.startsWith('/latest/')) {
        if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session') return void res.writeHead(401).end();
        const answers: Record<string, string> = {
          '/latest/meta-data/instance-id': INSTANCE_ID,
          '/latest/meta-data/iam/security-credentials/': ROLE,
          [`/latest/meta-data/iam/security-credentials/${ROLE}`]: JSON.stringify({
            Code: 'Success',
            Type: 'AWS-HMAC',
            AccessKeyId: ACCESS_KEY,
            SecretAccessKey: 'role-secret',
            Token: SESSION_TOKEN,
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        };
        return void (answers[url] === undefined ? res.writeHead(404).end() : res.end(answers[url]));
      }
      const authorization = String(req.headers.authorization ?? '');
      if (
        !authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/`) ||
        !authorization.includes('/us-east-1/s3/aws4_request') ||
        req.headers['x-amz-security-token'] !== SESSION_TOKEN
      ) {
        refused.push(url);
        return void res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
      }
      const object = objects.get(url.replace(/^\/bucket\//, ''));
      if (!object) return void res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      res.end(object);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    objects.clear();
    refused.length = 0;
    instance = await FakeInstance.create(unshareArgs, OVERLAYS);
  });

  afterEach(async () => {
    await instance?.destroy();
  });

  /** The generated script, with IMDS at the loopback server (the one line a real instance keeps). */
  function script(): string {
    const text = buildStorageUserData({
      bucket: 'cafe-123456789012-us-east-1',
      region: 'us-east-1',
      endpoint: `${base}/bucket`,
      pointer: 'current.json',
      pollSeconds: 2,
    });
    const imdsLine = "SITE_IMDS_ENDPOINT='http://169.254.169.254'";
    assert.ok(text.includes(imdsLine));
    return text.replace(imdsLine, `SITE_IMDS_ENDPOINT='${base}'`);
  }
  const sync = () => instance.run('#!/bin/bash\nexec /usr/local/sbin/site-content-sync once\n');
  const served = async () => {
    const link = await readlink(instance.hostPath('/var/www/current'));
    const dir = instance.hostPath(link);
    return {
      link,
      version: await readFile(join(dir, '.site-version'), 'utf8'),
      index: await readFile(join(dir, 'index.html'), 'utf8'),
    };
  };

  it('boots into the current release, declares the simulator contract and serves the version headers', async () => {
    const v1 = release('aaaaaaaaaaaa', 'First');
    point(v1);
    const text = script();
    assert.match(text, /^SITE_CONTENT_BUCKET='cafe-123456789012-us-east-1'$/m);
    assert.match(text, /^SITE_CONTENT_POINTER='current\.json'$/m);
    assert.match(text, /^SITE_CONTENT_POLL_SECONDS='2'$/m);
    assert.doesNotMatch(text, /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|role-secret/, 'no credentials in user data');
    const result = await instance.run(text);
    assert.equal(result.harnessErrors, '');
    assert.equal(result.status, 0, result.output);
    assert.match(
      result.output,
      /SITE SETUP DONE: httpd serves s3:\/\/cafe-123456789012-us-east-1\/current\.json/,
    );
    assert.deepEqual(await served(), {
      link: '/var/www/releases/aaaaaaaaaaaa',
      version: 'aaaaaaaaaaaa',
      index: '<!doctype html><h1>First</h1>',
    });
    const httpd = await readFile(instance.hostPath('/etc/httpd/conf.d/site.conf'), 'utf8');
    assert.match(httpd, /^DocumentRoot "\/var\/www\/current"$/m);
    assert.match(httpd, new RegExp(`^Header always set X-Site-Instance "${INSTANCE_ID}"$`, 'm'));
    assert.match(
      httpd,
      /^Header always set X-Site-Version "expr=%\{file:\/var\/www\/current\/\.site-version\}"$/m,
    );
    assert.deepEqual(await instance.stubCalls(), [
      DNF,
      SYSTEMCTL,
      'systemctl enable --now site-content-sync.service',
    ]);
    assert.match(
      await readFile(instance.hostPath('/etc/systemd/system/site-content-sync.service'), 'utf8'),
      /ExecStart=\/usr\/local\/sbin\/site-content-sync loop/,
    );
    assert.deepEqual(refused, []);
  });

  it('switches to a new release in place by renaming the link, keeping the one it left', async () => {
    point(release('aaaaaaaaaaaa', 'First'));
    assert.equal((await instance.run(script())).status, 0);
    point(release('bbbbbbbbbbbb', 'Second'));
    const result = await sync();
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /site-content: serving bbbbbbbbbbbb/);
    assert.deepEqual(await served(), {
      link: '/var/www/releases/bbbbbbbbbbbb',
      version: 'bbbbbbbbbbbb',
      index: '<!doctype html><h1>Second</h1>',
    });
    // Nothing half-made is left beside them: the link was renamed over, the release unpacked aside first.
    assert.deepEqual(await instance.varWww(), ['current', 'releases']);
    assert.deepEqual((await readdir(instance.hostPath('/var/www/releases'))).sort(), [
      'aaaaaaaaaaaa',
      'bbbbbbbbbbbb',
    ]);
    // A pass with nothing new changes nothing and says nothing.
    const again = await sync();
    assert.equal(again.status, 0);
    assert.equal(again.output, '');
    // A third release: the first one goes, the one just left stays.
    point(release('cccccccccccc', 'Third'));
    assert.equal((await sync()).status, 0);
    assert.deepEqual((await readdir(instance.hostPath('/var/www/releases'))).sort(), [
      'bbbbbbbbbbbb',
      'cccccccccccc',
    ]);
  });

  it("refuses a release whose sha256 is not the pointer's, keeping the served one", async () => {
    point(release('aaaaaaaaaaaa', 'First'));
    assert.equal((await instance.run(script())).status, 0);
    const bad = release('dddddddddddd', 'Tampered');
    point({ ...bad, sha256: 'f'.repeat(64) });
    const result = await sync();
    assert.notEqual(result.status, 0);
    assert.match(
      result.output,
      /refusing releases\/dddddddddddd\.zip: its sha256 is [0-9a-f]{64}, the pointer says f{64}/,
    );
    assert.equal((await served()).version, 'aaaaaaaaaaaa');
    assert.deepEqual(await readdir(instance.hostPath('/var/www/releases')), ['aaaaaaaaaaaa']);
  });
});
