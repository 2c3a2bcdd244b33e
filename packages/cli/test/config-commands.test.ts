import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary (npm run build). SITE_CLI_BIN points the tests at another build. */
const bin = process.env.SITE_CLI_BIN ?? fileURLToPath(new URL('../bin/run.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr with oclif's line wrapping undone. */
  text: string;
}

/** Run `site <args>` in `cwd` with a clean environment (no AWS_* or SITE_* from the caller). */
function site(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(AWS_|SITE_)/.test(key)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...clean, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, text: stderr.replace(/\s+/g, ' ') });
      },
    );
  });
}

let root: string;
async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'p-'));
  await mkdir(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

describe('site config (the built binary)', function () {
  this.timeout(60_000);

  before(async function () {
    if (!existsSync(bin)) this.skip();
    root = await mkdtemp(path.join(os.tmpdir(), 'site-config-cli-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const invalid: { what: string; yaml: string; path: string; shows: RegExp }[] = [
    {
      what: 'a YAML syntax error',
      yaml: 'name: fine\ninstance:\n  type: [t2\n  count: 1\n',
      path: '',
      shows: /site\.config\.yaml:4:3: YAML syntax error/,
    },
    {
      what: 'the name "My Site!!"',
      yaml: 'name: My Site!!\n',
      path: 'name',
      shows: /site\.config\.yaml: name: found "My Site!!", expected lowercase letters, digits and hyphens/,
    },
    {
      what: 'instance.type: 42',
      yaml: 'instance:\n  type: 42\n',
      path: 'instance.type',
      shows:
        /site\.config\.yaml: instance\.type: found 42, expected a string \(an EC2 instance type such as t2\.micro or m7i\.2xlarge\)/,
    },
    {
      what: 'a 40-character site name',
      yaml: `name: ${'abcd'.repeat(10)}\n`,
      path: 'name',
      shows: /site\.config\.yaml: name: found "(?:abcd){10}", expected at most 28 characters/,
    },
    {
      what: 'an unknown top-level key',
      yaml: 'regoin: us-east-1\n',
      path: 'regoin',
      shows: /site\.config\.yaml: regoin: found "us-east-1", expected one of: name, region,/,
    },
  ];

  describe('config validate', () => {
    for (const { what, yaml, path: keyPath, shows } of invalid) {
      it(`exits 2 naming the file and the key for ${what}`, async () => {
        const dir = await project({ 'site.config.yaml': yaml });
        const result = await site(dir, ['config', 'validate']);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.text, shows);
        assert.ok(result.text.includes(path.join(dir, 'site.config.yaml')), result.stderr);
        if (keyPath) assert.ok(result.text.includes(`: ${keyPath}: found `), result.stderr);
      });

      it(`--json gives the same as data for ${what} (status 2)`, async () => {
        const dir = await project({ 'site.config.yaml': yaml });
        const result = await site(dir, ['config', 'validate', '--json']);
        assert.equal(result.code, 2, result.stderr);
        const envelope = JSON.parse(result.stdout) as {
          status: number;
          result: {
            valid: boolean;
            file: string;
            issues: { file: string; path: string; value: unknown; expected: string; message: string }[];
          };
        };
        assert.equal(envelope.status, 2);
        assert.equal(envelope.result.valid, false);
        assert.equal(envelope.result.file, path.join(dir, 'site.config.yaml'));
        assert.equal(envelope.result.issues.length, 1);
        const [issue] = envelope.result.issues;
        assert.equal(issue.file, 'site.config.yaml');
        assert.equal(issue.path, keyPath);
        assert.match(issue.message, shows);
        assert.ok(issue.expected.length > 0);
      });
    }

    it('lists every problem of a file at once', async () => {
      const dir = await project({
        'site.config.yaml': 'name: My Site!!\ninstance:\n  type: 42\nregoin: x\n',
      });
      const result = await site(dir, ['config', 'validate']);
      assert.equal(result.code, 2);
      for (const key of ['name', 'instance.type', 'regoin'])
        assert.ok(result.text.includes(`site.config.yaml: ${key}: found`), key);
      assert.match(result.text, /Did you mean "region"/);
    });

    it('exits 0 on a valid file, and says which', async () => {
      const dir = await project({ 'site.config.yaml': 'name: my-cafe\nregion: eu-west-1\n' });
      const result = await site(dir, ['config', 'validate']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), `valid: ${path.join(dir, 'site.config.yaml')}`);

      const json = await site(dir, ['config', 'validate', '--json']);
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), {
        status: 0,
        result: { valid: true, file: path.join(dir, 'site.config.yaml'), issues: [] },
        warnings: [],
      });
    });

    it('a missing --config file exits 2 naming it', async () => {
      const dir = await project();
      const result = await site(dir, ['config', 'validate', '--config', 'nowhere.yaml']);
      assert.equal(result.code, 2);
      assert.match(result.text, /nowhere\.yaml does not exist/);
      assert.match(result.text, /CONFIG_NOT_FOUND/);
    });
  });

  describe('config init', () => {
    it('--yes writes a site.config.yaml that validates, and refuses to overwrite it', async () => {
      const dir = await project();
      const first = await site(dir, ['config', 'init', '--yes']);
      assert.equal(first.code, 0, first.stderr);
      const file = path.join(dir, 'site.config.yaml');
      const yaml = await readFile(file, 'utf8');
      assert.match(yaml, /^# yaml-language-server: \$schema=\S+site\.schema\.json\n/);
      assert.match(yaml, /^name: barista-cafe$/m);
      assert.match(yaml, /^ {2}type: t2\.micro$/m);

      const validate = await site(dir, ['config', 'validate']);
      assert.equal(validate.code, 0, validate.stderr);

      const again = await site(dir, ['config', 'init', '--yes']);
      assert.equal(again.code, 2);
      assert.match(again.text, /already exists/);
      assert.equal(await readFile(file, 'utf8'), yaml);

      const forced = await site(dir, ['config', 'init', '--yes', '--force', '--name', 'other-site']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(await readFile(file, 'utf8'), /^name: other-site$/m);
    });

    it('takes the defaults without a terminal; flags preset the answers; --path picks the folder', async () => {
      const dir = await project();
      await mkdir(path.join(dir, 'deploy'));
      const result = await site(dir, [
        'config',
        'init',
        '--path',
        'deploy',
        '--name',
        'my-cafe',
        '--region',
        'eu-west-1',
        '--json',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const { result: written } = JSON.parse(result.stdout) as { result: { file: string } };
      assert.equal(written.file, path.join(dir, 'deploy', 'site.config.yaml'));

      const show = await site(dir, ['config', 'show', '--config', 'deploy/site.config.yaml', '--json']);
      const { result: shown } = JSON.parse(show.stdout) as {
        result: { config: { name: string; region: string; template: object } };
      };
      assert.equal(shown.config.name, 'my-cafe');
      assert.equal(shown.config.region, 'eu-west-1');
      assert.deepEqual(shown.config.template, { id: '2137', name: 'barista_cafe' });
    });

    it('refuses an invalid preset with exit 2', async () => {
      const dir = await project();
      const result = await site(dir, ['config', 'init', '--yes', '--name', 'My Site!!']);
      assert.equal(result.code, 2);
      assert.match(result.text, /--name "My Site!!": expected lowercase letters/);
      assert.equal(existsSync(path.join(dir, 'site.config.yaml')), false);
    });
  });

  describe('config show', () => {
    it('shows every value with its source: default, file, env, flag', async () => {
      const dir = await project({ 'site.config.yaml': 'name: my-cafe\ninstance:\n  type: t3.small\n' });
      const result = await site(dir, ['config', 'show'], { AWS_REGION: 'eu-west-1' });
      assert.equal(result.code, 0, result.stderr);
      const row = (key: string) =>
        result.stdout
          .split('\n')
          .find((line) => line.startsWith(`${key} `))
          ?.split(/\s{2,}/);
      assert.deepEqual(row('region'), ['region', 'eu-west-1', 'env AWS_REGION']);
      assert.deepEqual(row('name'), ['name', 'my-cafe', 'file site.config.yaml']);
      assert.deepEqual(row('instance.type'), ['instance.type', 't3.small', 'file site.config.yaml']);
      assert.deepEqual(row('instance.count'), ['instance.count', '1', 'default']);

      const flagged = await site(dir, ['config', 'show', '--region', 'us-west-2'], {
        AWS_REGION: 'eu-west-1',
      });
      assert.match(flagged.stdout, /^region\s+us-west-2\s+flag --region$/m);
    });

    it('--json gives { file, config, sources }', async () => {
      const dir = await project({ 'site.config.yaml': 'name: my-cafe\n' });
      const result = await site(dir, ['config', 'show', '--json'], { AWS_REGION: 'eu-west-1' });
      assert.equal(result.code, 0, result.stderr);
      const { status, result: shown } = JSON.parse(result.stdout) as {
        status: number;
        result: { file: string; config: { name: string; region: string }; sources: Record<string, unknown> };
      };
      assert.equal(status, 0);
      assert.equal(shown.file, path.join(dir, 'site.config.yaml'));
      assert.equal(shown.config.region, 'eu-west-1');
      assert.deepEqual(shown.sources.region, { kind: 'env', name: 'AWS_REGION' });
      assert.deepEqual(shown.sources.name, { kind: 'file', file: path.join(dir, 'site.config.yaml') });
      assert.deepEqual(shown.sources['alb.port'], { kind: 'default' });
    });

    it('an invalid configuration exits 2 with the problem', async () => {
      const dir = await project({ 'site.config.yaml': 'instance:\n  type: 42\n' });
      const result = await site(dir, ['config', 'show']);
      assert.equal(result.code, 2);
      assert.match(result.text, /site\.config\.yaml: instance\.type: found 42/);
    });
  });
});
