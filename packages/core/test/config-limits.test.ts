import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SiteError } from '../src/errors.js';
import { AWS_MODEL_LIMITS } from '../src/config/aws-limits.js';
import * as limits from '../src/config/limits.js';
import { loadConfig, validateConfigFile } from '../src/config/load.js';
import { matcherProblem } from '../src/config/value-checks.js';
import { createTagHelper, USER_TAGS_MAX } from '../src/tags.js';

/** AWS's limits on what site sends, checked while the configuration loads: before any AWS call. */

const BOTOCORE = '/usr/lib/python3/dist-packages/botocore/data';

let root: string;
async function project(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'p-'));
  await mkdir(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** The messages of every issue of the configuration in `dir`, '' when it is valid. */
async function problems(dir: string, configPath?: string): Promise<string> {
  const validation = await validateConfigFile({ cwd: dir, env: {}, configPath });
  return validation.issues.map((issue) => issue.message).join('\n');
}

async function failure(promise: Promise<unknown>): Promise<SiteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SiteError, `expected a SiteError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

const yaml = (text: string) => ({ 'site.config.yaml': text });

describe('config limits', () => {
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'site-limits-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('the generated limits are what the botocore models on this machine say', function () {
    const files: Record<string, string> = { elbv2: 'elbv2/2015-12-01/service-2.json' };
    const modelFile = path.join(BOTOCORE, files.elbv2!);
    if (!existsSync(modelFile)) this.skip(); // the awscli package is not installed here
    const model = JSON.parse(readFileSync(modelFile, 'utf8')) as {
      shapes: Record<string, { members?: Record<string, { shape: string }>; [key: string]: unknown }>;
    };
    for (const [name, limit] of Object.entries(AWS_MODEL_LIMITS)) {
      const [, shapeName, member] = name.split('.') as [string, string, string];
      const shape = model.shapes[model.shapes[shapeName]!.members![member]!.shape]!;
      assert.equal(limit.shape, model.shapes[shapeName]!.members![member]!.shape, name);
      for (const key of ['min', 'max', 'pattern'] as const)
        assert.equal((limit as Record<string, unknown>)[key], shape[key], `${name}.${key}`);
    }
  });

  describe('the health check, field by field and together', () => {
    it('takes a timeout one below the interval, and refuses it equal or above, saying how to fix it', async () => {
      assert.equal(
        await problems(await project(yaml('alb:\n  healthCheck: { interval: 6, timeout: 5 }\n'))),
        '',
      );
      const equal = await problems(await project(yaml('alb:\n  healthCheck: { interval: 5, timeout: 5 }\n')));
      assert.match(
        equal,
        /site\.config\.yaml: alb\.healthCheck\.timeout: found 5, expected a timeout less than the interval \(5 s/,
      );
      assert.match(
        equal,
        /set alb\.healthCheck\.timeout to at most 4, or alb\.healthCheck\.interval to at least 6/,
      );
      // The default timeout (5) with a short interval is the case users hit.
      assert.match(
        await problems(await project(yaml('alb:\n  healthCheck: { interval: 5 }\n'))),
        /alb\.healthCheck\.timeout: found 5, expected a timeout less than the interval/,
      );
    });

    it('matchers: codes 200-499, a list or a rising range', async () => {
      for (const fine of ['200', '200,202', '200-299', '499', '200-499'])
        assert.equal(matcherProblem(fine), undefined);
      assert.match(matcherProblem('199')!, /from 200 to 499 \(an Application Load Balancer refuses 199\)/);
      assert.match(matcherProblem('200-500')!, /refuses 500/);
      assert.match(matcherProblem('299-200')!, /such as 200-299/);
      assert.match(matcherProblem('200-200')!, /the single code 200/);
      assert.match(
        await problems(await project(yaml('alb:\n  healthCheck: { matcher: "200-299,302" }\n'))),
        /alb\.healthCheck\.matcher: found "200-299,302", expected HTTP codes such as 200, 200,202 or a range/,
      );
    });

    it('paths: 1024 characters at most, only the characters AWS takes', async () => {
      const longest = `/${'a'.repeat(limits.HEALTH_CHECK_PATH.max - 1)}`;
      assert.equal(await problems(await project(yaml(`alb:\n  healthCheck: { path: "${longest}" }\n`))), '');
      assert.match(
        await problems(await project(yaml(`alb:\n  healthCheck: { path: "${longest}a" }\n`))),
        /alb\.healthCheck\.path: found .*expected at most 1024 characters/,
      );
      assert.equal(
        await problems(await project(yaml('alb:\n  healthCheck: { path: "/health-check?x=1&y=%7B" }\n'))),
        '',
      );
      assert.match(
        await problems(await project(yaml('alb:\n  healthCheck: { path: "/?query={x}" }\n'))),
        /alb\.healthCheck\.path: found "\/\?query=\{x\}", expected a path starting with \/ of letters, digits .*percent-encode/,
      );
    });
  });

  describe('tags', () => {
    const tags = (count: number) =>
      `tags:\n${Array.from({ length: count }, (_, i) => `  Key${i}: value`).join('\n')}\n`;

    it(`takes ${USER_TAGS_MAX} user tags, so that with site's own every resource stays within AWS's 50`, async () => {
      assert.equal(USER_TAGS_MAX, 38);
      assert.equal(await problems(await project(yaml(tags(USER_TAGS_MAX)))), '');
      assert.match(
        await problems(await project(yaml(tags(47)))),
        /site\.config\.yaml: tags: found .*expected at most 38 tags \(found 47\): AWS allows 50 per resource and site keeps 12 for its own/,
      );
      // The worst case a resource carries: every user tag, site's own 4 and the 8 extras a resource may add.
      const helper = createTagHelper(
        'cafe',
        Object.fromEntries(Array.from({ length: USER_TAGS_MAX }, (_, i) => [`K${i}`, 'v'])),
      );
      const extras = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`site:extra-${i}`, 'v']));
      assert.equal(
        helper.forResource('compute.instances', 'cafe-web-1', extras).length,
        limits.TAGS_PER_RESOURCE_MAX,
      );
      assert.throws(
        () => helper.forResource('compute.instances', 'x', { ...extras, 'site:ninth': 'v' }),
        /at most 8, each site:\*/,
      );
      assert.throws(() => helper.forResource('x.y', 'x', { Owner: 'plugin' }), /each site:\*/);
    });

    it("refuses a user tag on a key site sets itself, and AWS's prefix in any case", async () => {
      const found = await problems(
        await project(
          yaml('tags:\n  ManagedBy: me\n  Name: mine\n  "Site:Name": x\n  "AwS:team": y\n  Team: "aws:y"\n'),
        ),
      );
      assert.match(
        found,
        /tags\.ManagedBy: found "ManagedBy", expected a tag key site does not set itself \(Name, ManagedBy and site:\*/,
      );
      assert.match(found, /tags\.Name: found "Name", expected a tag key site does not set itself/);
      assert.match(found, /tags\.Site:Name: found "Site:Name", expected a tag key site does not set itself/);
      assert.match(
        found,
        /tags\.AwS:team: found "AwS:team", expected a tag key not starting with aws: in any case/,
      );
      assert.match(
        found,
        /tags\.Team: found "aws:y", expected a tag value not starting with aws: in any case/,
      );
    });

    it('keys of 127 and values of 255 characters, letters and + - = . _ : / @ only, no surrounding spaces', async () => {
      const key = 'k'.repeat(limits.TAG_KEY_MAX);
      const value = 'v'.repeat(limits.TAG_VALUE_MAX);
      assert.equal(
        await problems(
          await project(yaml(`tags:\n  ${key}: ${value}\n  "Café Ünïcode": "a b+c=d.e_f:g/h@i-j"\n`)),
        ),
        '',
      );
      const found = await problems(
        await project(
          yaml(`tags:\n  ${key}k: x\n  Long: ${value}v\n  "Cost#Center": x\n  Team: "a;b"\n  Padded: " x"\n`),
        ),
      );
      assert.match(found, /tags\.k{128}: found "k+…, expected at most 127 characters/);
      assert.match(found, /tags\.Long: found "v+…, expected at most 255 characters/);
      assert.match(
        found,
        /tags\.Cost#Center: found "Cost#Center", expected letters, digits, spaces and \+ - = \. _ : \/ @/,
      );
      assert.match(found, /tags\.Team: found "a;b", expected letters, digits, spaces/);
      assert.match(found, /tags\.Padded: found " x", expected no leading or trailing spaces/);
    });
  });

  describe('names after their prefixes and suffixes', () => {
    it('refuses a site name whose load balancer would begin with internal- or whose groups with sg-', async () => {
      for (const name of ['internal', 'internal-cafe'])
        assert.match(
          await problems(await project(yaml(`name: ${name}\n`))),
          new RegExp(`name: found "${name}", expected a name that does not begin with "internal"`),
        );
      for (const name of ['sg', 'sg-cafe'])
        assert.match(
          await problems(await project(yaml(`name: ${name}\n`))),
          new RegExp(`name: found "${name}", expected a name that does not begin with "sg"`),
        );
      for (const name of ['internals', 'sgcafe', 'cafe-internal'])
        assert.equal(await problems(await project(yaml(`name: ${name}\n`))), '');
    });

    it('key pair names up to 255 characters', async () => {
      assert.equal(await problems(await project(yaml(`keyName: ${'k'.repeat(255)}\n`))), '');
      assert.match(
        await problems(await project(yaml(`keyName: ${'k'.repeat(256)}\n`))),
        /keyName: found .*expected at most 255 characters/,
      );
    });
  });

  describe('user data from a file', () => {
    const withFile = (content: string | Buffer) =>
      project({ ...yaml('instance:\n  userDataFile: setup.sh\n'), 'setup.sh': content });

    it('takes 16384 bytes and refuses one more, before base64', async () => {
      const script = (size: number) => `#!/bin/bash\n${'#'.repeat(size - 12)}`;
      assert.equal(Buffer.byteLength(script(16_384)), 16_384);
      assert.equal(await problems(await withFile(script(16_384))), '');
      assert.match(
        await problems(await withFile(script(16_385))),
        /instance\.userDataFile: found "setup\.sh", expected at most 16384 bytes, EC2's limit on user data before base64 \(.*setup\.sh has 16385\)/,
      );
    });

    it('refuses what cloud-init would ignore or the kernel could not run', async () => {
      assert.match(
        await problems(await withFile('')),
        /expected a script or cloud-config \(.*setup\.sh is empty\)/,
      );
      assert.match(
        await problems(await withFile('echo hello\n')),
        /its first line must start with #! .*starts with "echo hello", which cloud-init ignores/,
      );
      assert.match(
        await problems(await withFile('#!/bin/bash\r\necho hi\r\n')),
        /Windows CRLF line endings.*dos2unix/,
      );
      assert.match(
        await problems(await withFile(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]))),
        /expected UTF-8 text/,
      );
      assert.match(
        await problems(await project(yaml('instance:\n  userDataFile: missing.sh\n'))),
        /instance\.userDataFile: found "missing\.sh", expected a readable file \(.*missing\.sh: ENOENT\)/,
      );
      for (const fine of [
        '#!/bin/sh\necho hi\n',
        '#cloud-config\npackages: [httpd]\n',
        'Content-Type: multipart/mixed; boundary="x"\n',
      ])
        assert.equal(await problems(await withFile(fine)), '');
    });
  });

  describe('contradictory or ambiguous input', () => {
    it('template with source is an error naming both', async () => {
      const found = await problems(
        await project(yaml('template: { id: "2137" }\nsource: { url: "https://example.com/site.zip" }\n')),
      );
      assert.match(
        found,
        /site\.config\.yaml: source: found \{"url":"https:\/\/example\.com\/site\.zip"\}, expected either template or source, not both/,
      );
      assert.equal(
        await problems(await project(yaml('source: { url: "https://example.com/site.zip" }\n'))),
        '',
      );
    });

    it('two configuration files in one folder are an error naming both; --config chooses', async () => {
      const dir = await project({ ...yaml('name: from-yaml\n'), '.siterc.json': '{"name": "from-json"}' });
      const error = await failure(loadConfig({ cwd: dir, env: {} }));
      assert.equal(error.code, 'CONFIG_AMBIGUOUS');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /Found 2 site configurations in .*: site\.config\.yaml, \.siterc\.json/);
      assert.match(error.suggestions.join('\n'), /choose with --config, e\.g\. --config site\.config\.yaml/);
      const chosen = await loadConfig({ cwd: dir, env: {}, configPath: '.siterc.json' });
      assert.equal(chosen.config.name, 'from-json');
      // package.json counts only with a "site" key.
      const withManifest = await project({ ...yaml('name: cafe\n'), 'package.json': '{"name": "x"}' });
      assert.equal((await loadConfig({ cwd: withManifest, env: {} })).config.name, 'cafe');
      const both = await project({ ...yaml('name: cafe\n'), 'package.json': '{"site": {"name": "x"}}' });
      assert.match(
        (await failure(loadConfig({ cwd: both, env: {} }))).message,
        /site\.config\.yaml, package\.json \("site" key\)/,
      );
    });

    it('a --config that is not a regular file is refused, not read as "no settings"', async () => {
      const dir = await project();
      const error = await failure(loadConfig({ cwd: dir, env: {}, configPath: '/dev/null' }));
      assert.equal(error.code, 'CONFIG_UNREADABLE');
      assert.equal(error.exitCode, 2);
      assert.match(
        error.message,
        /Cannot use \/dev\/null as the configuration: it is a character device, not a regular file/,
      );
    });
  });

  it("a JS configuration's console output goes to stderr, never to stdout", async () => {
    const dir = await project({
      'site.config.cjs': 'console.log("hello from the config"); module.exports = { name: "js-cafe" };\n',
    });
    const out: string[] = [];
    const err: string[] = [];
    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    process.stdout.write = ((chunk: string) => (
      out.push(String(chunk)),
      true
    )) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (
      err.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    let name: string;
    try {
      name = (await loadConfig({ cwd: dir, env: {} })).config.name;
    } finally {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    }
    assert.equal(name, 'js-cafe');
    assert.deepEqual(out, []);
    assert.match(err.join(''), /hello from the config/);
  });
});
