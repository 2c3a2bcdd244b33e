import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SiteError } from '../src/errors.js';
import { configJsonSchema } from '../src/config/json-schema.js';
import { renderConfigYaml } from '../src/config/init.js';
import { CONFIG_SEARCH_PLACES } from '../src/config/find.js';
import { loadConfig, validateConfigFile, type LoadConfigOptions } from '../src/config/load.js';
import { jsonErrorOffset } from '../src/config/parse.js';

const run = promisify(execFile);

let root: string;
/** A fresh folder with a .git marker, so the search never climbs out of it. */
async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'p-'));
  await mkdir(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function load(cwd: string, options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ cwd, env: {}, ...options });
}

/** The SiteError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<SiteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SiteError, `expected a SiteError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('config', () => {
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'site-config-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('precedence and sources', () => {
    it('uses the defaults when there is no file, and says so', async () => {
      const dir = await project();
      const loaded = await load(dir);
      assert.equal(loaded.file, undefined);
      assert.equal(loaded.dir, dir);
      assert.equal(loaded.config.name, 'barista-cafe');
      assert.equal(loaded.config.region, 'us-east-1');
      assert.equal(loaded.config.instance.type, 't2.micro');
      assert.deepEqual(loaded.config.template, { id: '2137', name: 'barista_cafe' });
      assert.equal(loaded.config.keyDir, dir);
      assert.deepEqual(loaded.sources.region, { kind: 'default' });
      assert.deepEqual(loaded.sources['instance.ami.filter'], { kind: 'default' });
      assert.deepEqual(loaded.sources.tags, { kind: 'default' });
    });

    it('flag > environment > file > default, for every value, with its source', async () => {
      const dir = await project({
        'site.config.yaml':
          'name: from-file\nregion: eu-west-1\nprofile: file-profile\ninstance:\n  type: t3.small\ntags:\n  Environment: Demo\n',
      });
      const file = path.join(dir, 'site.config.yaml');

      const fromFile = await load(dir);
      assert.equal(fromFile.file, file);
      assert.equal(fromFile.dir, dir);
      assert.equal(fromFile.config.region, 'eu-west-1');
      assert.deepEqual(fromFile.sources.region, { kind: 'file', file });
      assert.deepEqual(fromFile.sources['instance.type'], { kind: 'file', file });
      assert.deepEqual(fromFile.sources['instance.count'], { kind: 'default' });
      assert.deepEqual(fromFile.sources['tags.Environment'], { kind: 'file', file });

      const env = {
        AWS_REGION: 'eu-central-1',
        AWS_DEFAULT_REGION: 'ap-south-1',
        AWS_PROFILE: 'env-profile',
        SITE_NAME: 'from-env',
      };
      const fromEnv = await load(dir, { env });
      assert.equal(fromEnv.config.region, 'eu-central-1');
      assert.equal(fromEnv.config.profile, 'env-profile');
      assert.equal(fromEnv.config.name, 'from-env');
      assert.deepEqual(fromEnv.sources.region, { kind: 'env', name: 'AWS_REGION' });
      assert.deepEqual(fromEnv.sources.name, { kind: 'env', name: 'SITE_NAME' });
      assert.deepEqual(fromEnv.sources['instance.type'], { kind: 'file', file });

      const fromFlags = await load(dir, { env, flags: { region: 'us-west-2', profile: 'flag-profile' } });
      assert.equal(fromFlags.config.region, 'us-west-2');
      assert.equal(fromFlags.config.profile, 'flag-profile');
      assert.deepEqual(fromFlags.sources.region, { kind: 'flag', name: '--region' });
      assert.deepEqual(fromFlags.sources.profile, { kind: 'flag', name: '--profile' });
      assert.deepEqual(fromFlags.sources.name, { kind: 'env', name: 'SITE_NAME' });
    });

    it('AWS_DEFAULT_REGION counts when AWS_REGION is not set; empty variables do not count', async () => {
      const dir = await project();
      const loaded = await load(dir, { env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' } });
      assert.equal(loaded.config.region, 'ap-south-1');
      assert.deepEqual(loaded.sources.region, { kind: 'env', name: 'AWS_DEFAULT_REGION' });
    });

    it('takes the endpoint and key folder from env and flags; relative paths resolve against the file or the cwd', async () => {
      const dir = await project({ 'deploy/site.config.yaml': 'keyDir: keys\n' });
      const deploy = path.join(dir, 'deploy');
      const fromFile = await load(dir, { configPath: 'deploy/site.config.yaml' });
      assert.equal(fromFile.config.keyDir, path.join(deploy, 'keys'));
      assert.equal(fromFile.dir, deploy);

      const fromEnv = await load(dir, {
        configPath: 'deploy/site.config.yaml',
        env: { SITE_KEY_DIR: 'env-keys', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      });
      assert.equal(fromEnv.config.keyDir, path.join(dir, 'env-keys'));
      assert.equal(fromEnv.config.endpointUrl, 'http://127.0.0.1:4566');
      assert.deepEqual(fromEnv.sources.endpointUrl, { kind: 'env', name: 'AWS_ENDPOINT_URL' });

      const fromFlags = await load(dir, {
        configPath: 'deploy/site.config.yaml',
        flags: { keyDir: 'flag-keys', endpointUrl: 'http://127.0.0.1:5000' },
      });
      assert.equal(fromFlags.config.keyDir, path.join(dir, 'flag-keys'));
      assert.equal(fromFlags.config.endpointUrl, 'http://127.0.0.1:5000');
      assert.deepEqual(fromFlags.sources.keyDir, { kind: 'flag', name: '--key-dir' });
      assert.deepEqual(fromFlags.sources.endpointUrl, { kind: 'flag', name: '--endpoint-url' });
    });
  });

  describe('search places', () => {
    const contents: Record<string, string> = {
      'site.config.ts': "const config: { name: string } = { name: 'from-ts' };\nexport default config;\n",
      'site.config.mjs': "export default { name: 'from-mjs' };\n",
      'site.config.cjs': "module.exports = { name: 'from-cjs' };\n",
      'site.config.js': "module.exports = { name: 'from-js' };\n",
      'site.config.json': '{ "name": "from-json" }\n',
      'site.config.yaml': 'name: from-yaml\n',
      'site.config.yml': 'name: from-yml\n',
      '.siterc': 'name: from-siterc\n',
      '.siterc.json': '{ "name": "from-siterc-json" }\n',
      '.siterc.yaml': 'name: from-siterc-yaml\n',
      '.siterc.yml': 'name: from-siterc-yml\n',
      '.siterc.js': "module.exports = { name: 'from-siterc-js' };\n",
      'package.json': '{ "name": "some-package", "site": { "name": "from-package-json" } }\n',
    };

    it('covers every documented place', () => {
      assert.deepEqual(Object.keys(contents).sort(), [...CONFIG_SEARCH_PLACES].sort());
    });

    for (const [place, content] of Object.entries(contents)) {
      it(`finds ${place}`, async () => {
        const dir = await project({ [place]: content });
        const loaded = await load(dir);
        assert.equal(loaded.file, path.join(dir, place));
        assert.equal(
          loaded.config.name,
          place === 'package.json'
            ? 'from-package-json'
            : `from-${place
                .replace(/^\./, '')
                .replace(/\.config/, '')
                .replace(/^site\./, '')
                .replace('.', '-')}`,
        );
        assert.deepEqual(loaded.sources.name, { kind: 'file', file: path.join(dir, place) });
      });
    }

    it('searches from a subfolder up, skipping a package.json without "site"', async () => {
      const dir = await project({
        'site.config.yaml': 'name: parent\n',
        'app/package.json': '{ "name": "app" }\n',
        'app/src/.keep': '',
      });
      const loaded = await load(path.join(dir, 'app', 'src'));
      assert.equal(loaded.file, path.join(dir, 'site.config.yaml'));
      assert.equal(loaded.dir, dir);
      assert.equal(loaded.config.name, 'parent');
    });

    it('stops at the root of a git checkout', async () => {
      const outer = await project({ 'site.config.yaml': 'name: outside\n' });
      await mkdir(path.join(outer, 'repo', '.git'), { recursive: true });
      const loaded = await load(path.join(outer, 'repo'));
      assert.equal(loaded.file, undefined);
      assert.equal(loaded.config.name, 'barista-cafe');
    });

    it('an empty file counts as found, with the defaults', async () => {
      const dir = await project({ 'site.config.yaml': '' });
      const loaded = await load(dir);
      assert.equal(loaded.file, path.join(dir, 'site.config.yaml'));
      assert.equal(loaded.config.name, 'barista-cafe');
    });

    it('--config reads exactly that file, whatever its name, relative to the cwd', async () => {
      const dir = await project({ 'site.config.yaml': 'name: searched\n', 'envs/prod.conf': 'name: prod\n' });
      const loaded = await load(dir, { configPath: 'envs/prod.conf' });
      assert.equal(loaded.file, path.join(dir, 'envs', 'prod.conf'));
      assert.equal(loaded.config.name, 'prod');
    });

    it('a missing --config file is CONFIG_NOT_FOUND (exit 2) naming the path', async () => {
      const dir = await project();
      const error = await failure(load(dir, { configPath: 'nope/site.config.yaml' }));
      assert.equal(error.code, 'CONFIG_NOT_FOUND');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /nope\/site\.config\.yaml/);
    });

    it('an unreadable --config is CONFIG_UNREADABLE (exit 2) naming the path', async () => {
      const dir = await project({ 'folder/.keep': '', 'broken.js': "throw new Error('boom');\n" });
      const folder = await failure(load(dir, { configPath: 'folder' }));
      assert.equal(folder.code, 'CONFIG_UNREADABLE');
      assert.equal(folder.exitCode, 2);
      assert.match(folder.message, /folder/);
      const throwing = await failure(load(dir, { configPath: 'broken.js' }));
      assert.equal(throwing.code, 'CONFIG_UNREADABLE');
      assert.match(throwing.message, /broken\.js.*boom/);
    });
  });

  describe('errors name the file, the key, the value and what was expected', () => {
    it('YAML syntax: CONFIG_SYNTAX with file, line and column', async () => {
      const dir = await project({ 'site.config.yaml': 'name: ok\ninstance:\n  type: [t2\n  count: 1\n' });
      const error = await failure(load(dir));
      assert.equal(error.code, 'CONFIG_SYNTAX');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^site\.config\.yaml:4:3: YAML syntax error: /);
      assert.equal(error.details.line, 4);
      assert.equal(error.details.column, 3);
      assert.equal(error.details.file, path.join(dir, 'site.config.yaml'));
    });

    it('duplicate YAML keys are a syntax error too', async () => {
      const dir = await project({ 'site.config.yaml': 'name: a\nname: b\n' });
      const error = await failure(load(dir));
      assert.equal(error.code, 'CONFIG_SYNTAX');
      assert.match(error.message, /site\.config\.yaml:2:1: .*unique/);
    });

    it('JSON syntax: CONFIG_SYNTAX with line and column computed from the position', async () => {
      const dir = await project({ 'site.config.json': '{\n  "name": "x",\n  "region": }\n' });
      const error = await failure(load(dir));
      assert.equal(error.code, 'CONFIG_SYNTAX');
      assert.match(error.message, /^site\.config\.json:3:13: JSON syntax error: /);
      assert.deepEqual([error.details.line, error.details.column], [3, 13]);
    });

    it('finds where JSON went wrong even when V8 does not say', () => {
      assert.equal(jsonErrorOffset('{"a":}'), 5);
      assert.equal(jsonErrorOffset('{"a": 1,}'), 8);
      assert.equal(jsonErrorOffset('[1, 2'), 5);
      assert.equal(jsonErrorOffset('{"a": tru}'), 9);
    });

    const cases: [string, string, RegExp][] = [
      [
        'a name with spaces and punctuation',
        'name: "My Site!!"\n',
        /^ {2}site\.config\.yaml: name: found "My Site!!", expected lowercase letters, digits and hyphens/m,
      ],
      [
        'an instance type that is a number',
        'instance:\n  type: 42\n',
        /^ {2}site\.config\.yaml: instance\.type: found 42, expected a string \(an EC2 instance type such as t2\.micro or m7i\.2xlarge\)$/m,
      ],
      [
        'a 40-character name',
        `name: ${'a'.repeat(40)}\n`,
        /^ {2}site\.config\.yaml: name: found "a{40}", expected at most 28 characters/m,
      ],
      [
        'an unknown top-level key',
        'regoin: us-east-1\n',
        /^ {2}site\.config\.yaml: regoin: found "us-east-1", expected one of: name, region, /m,
      ],
      [
        'an unknown nested key',
        'alb:\n  prot: 8080\n',
        /^ {2}site\.config\.yaml: alb\.prot: found 8080, expected one of: port, healthCheck, deregistrationDelay$/m,
      ],
      [
        'a number out of range',
        'alb:\n  port: 70000\n',
        /^ {2}site\.config\.yaml: alb\.port: found 70000, expected a number at most 65535$/m,
      ],
      [
        'a bad CIDR',
        'ssh:\n  cidr: 10.0.0.0/99\n',
        /^ {2}site\.config\.yaml: ssh\.cidr: found "10\.0\.0\.0\/99", expected auto, none, or an IPv4 or IPv6 CIDR/m,
      ],
      [
        'a CIDR with host bits set, suggesting the network and the /32',
        'ssh:\n  cidr: 10.0.0.5/24\n',
        /^ {2}site\.config\.yaml: ssh\.cidr: found "10\.0\.0\.5\/24", expected a network address \(10\.0\.0\.5\/24 has host bits set\): 10\.0\.0\.0\/24 for the whole block, or 10\.0\.0\.5\/32 for this one address$/m,
      ],
      [
        'a well-shaped instance type with a size EC2 does not have',
        'instance:\n  type: t2.nonsense\n',
        /^ {2}site\.config\.yaml: instance\.type: found "t2\.nonsense", expected an EC2 instance type such as t2\.micro or m7i\.2xlarge$/m,
      ],
      [
        'an Arm instance type with the x86_64 image filter',
        'instance:\n  type: t4g.micro\n',
        /^ {2}site\.config\.yaml: instance\.type: found "t4g\.micro", expected .*t4g\.micro is an Arm \(Graviton\) type: set instance\.ami\.filter to "al2023-ami-2023\.\*-arm64"/m,
      ],
      [
        'a reserved tag key',
        'tags:\n  "aws:owner": me\n',
        /^ {2}site\.config\.yaml: tags\.aws:owner: found "aws:owner", expected a tag key not starting with aws: in any case \(reserved for AWS\)/m,
      ],
      [
        'an AMI of the wrong shape',
        'instance:\n  ami: 12\n',
        /^ {2}site\.config\.yaml: instance\.ami: found 12, expected an AMI id such as ami-0123456789abcdef0, or \{ filter, owner \}$/m,
      ],
      [
        'a file that is not a mapping',
        '- just\n- a list\n',
        /^ {2}site\.config\.yaml: \(top level\): found \["just","a list"\], expected a mapping/m,
      ],
    ];
    for (const [what, yaml, message] of cases) {
      it(`CONFIG_INVALID for ${what}`, async () => {
        const dir = await project({ 'site.config.yaml': yaml });
        const error = await failure(load(dir));
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, message);
        const details = error.details as {
          file: string;
          issues: { file: string; path: string; expected: string; message: string }[];
        };
        assert.equal(details.file, path.join(dir, 'site.config.yaml'));
        assert.equal(details.issues.length, 1);
        assert.equal(details.issues[0].file, 'site.config.yaml');
      });
    }

    it('accepts network CIDRs, every EC2 size word, and an Arm type with an arm64 filter', async () => {
      for (const yaml of [
        'ssh:\n  cidr: 10.0.0.0/24\n',
        'ssh:\n  cidr: 203.0.113.7/32\n',
        'ssh:\n  cidr: 0.0.0.0/0\n',
        'ssh:\n  cidr: "2001:db8::/32"\n',
        'instance:\n  type: m7i.48xlarge\n',
        'instance:\n  type: c6in.metal\n',
        'instance:\n  type: i3en.metal-24xl\n',
        'instance:\n  type: t4g.nano\n  ami:\n    filter: al2023-ami-2023.*-arm64\n',
        'instance:\n  type: t4g.small\n  ami: ami-0123456789abcdef0\n',
      ]) {
        const dir = await project({ 'site.config.yaml': yaml });
        await load(dir).catch((error: Error) => assert.fail(`${yaml}: ${error.message}`));
      }
    });

    it('instance.scaling: bounds in order, one policy, and not beside a count (exit 2, each key named)', async () => {
      const cases: [string, string, RegExp][] = [
        ['instance:\n  scaling: { min: 3, max: 2 }\n', 'instance.scaling.min', /min 3 > max 2/],
        [
          'instance:\n  scaling: { min: 2, max: 4, desired: 5 }\n',
          'instance.scaling.desired',
          /between min and max \(2–4\)/,
        ],
        ['instance:\n  scaling: { min: 1, max: 2, cpuTarget: 120 }\n', 'instance.scaling.cpuTarget', /100/],
        [
          'instance:\n  scaling: { min: 1, max: 2, cpuTarget: 50, requestsPerTarget: 100 }\n',
          'instance.scaling.requestsPerTarget',
          /either cpuTarget or requestsPerTarget/,
        ],
        [
          'instance:\n  count: 3\n  scaling: { min: 2, max: 4 }\n',
          'instance.count',
          /either instance.count or instance.scaling/,
        ],
        ['instance:\n  scaling: { min: 0, max: 4 }\n', 'instance.scaling.min', /1/],
      ];
      for (const [yaml, key, message] of cases) {
        const error = await failure(load(await project({ 'site.config.yaml': yaml })));
        assert.equal(error.exitCode, 2, yaml);
        const issues = (error.details as { issues: { path: string }[] }).issues;
        assert.deepEqual(
          issues.map((issue) => issue.path),
          [key],
          yaml,
        );
        assert.match(error.message, message, yaml);
      }
      const ok = await load(
        await project({ 'site.config.yaml': 'instance:\n  scaling: { min: 2, max: 4, cpuTarget: 50 }\n' }),
      );
      assert.deepEqual(ok.config.instance.scaling, { min: 2, max: 4, cpuTarget: 50 });
    });

    it('suggests the nearest known key for a typo', async () => {
      const dir = await project({ 'site.config.yaml': 'regoin: us-east-1\ninstance:\n  tpye: t3.micro\n' });
      const error = await failure(load(dir));
      assert.ok(
        error.suggestions.includes('Did you mean "region" instead of "regoin"?'),
        error.suggestions.join('\n'),
      );
      assert.ok(
        error.suggestions.includes('Did you mean "instance.type" instead of "instance.tpye"?'),
        error.suggestions.join('\n'),
      );
    });

    it('collects every issue into one error, one line each, with details', async () => {
      const dir = await project({
        'site.config.yaml': 'name: "My Site!!"\ninstance:\n  type: 42\n  count: 0\nbogus: true\n',
      });
      const error = await failure(load(dir));
      const details = error.details as { issues: { path: string; value: unknown; expected: string }[] };
      assert.deepEqual(details.issues.map((issue) => issue.path).sort(), [
        'bogus',
        'instance.count',
        'instance.type',
        'name',
      ]);
      assert.deepEqual(details.issues.find((issue) => issue.path === 'instance.type')?.value, 42);
      assert.equal(
        error.message.split('\n').filter((line) => line.startsWith('  site.config.yaml: ')).length,
        4,
      );
    });

    it('values from the environment and flags are named as such', async () => {
      const dir = await project({ 'site.config.yaml': 'name: fine\n' });
      const fromEnv = await failure(load(dir, { env: { AWS_REGION: 'nowhere', SITE_NAME: 'Bad Name' } }));
      assert.match(
        fromEnv.message,
        /^ {2}environment AWS_REGION: region: found "nowhere", expected an AWS region such as us-east-1$/m,
      );
      assert.match(fromEnv.message, /^ {2}environment SITE_NAME: name: found "Bad Name", expected /m);
      const fromFlag = await failure(load(dir, { flags: { region: 'mars-1' } }));
      assert.match(
        fromFlag.message,
        /^ {2}flag --region: region: found "mars-1", expected an AWS region such as us-east-1$/m,
      );
    });

    it('clips long values', async () => {
      const dir = await project({ 'site.config.yaml': `instance:\n  type: "${'x'.repeat(200)}"\n` });
      const error = await failure(load(dir));
      assert.match(error.message, /found "x{50,60}…, expected/);
    });

    it('validateConfigFile reports issues and syntax errors without throwing', async () => {
      const valid = await project({ 'site.config.yaml': 'name: fine\n' });
      assert.deepEqual(await validateConfigFile({ cwd: valid, env: {} }), {
        ok: true,
        file: path.join(valid, 'site.config.yaml'),
        issues: [],
        suggestions: [],
      });

      const invalid = await project({ 'site.config.yaml': 'instance:\n  type: 42\n' });
      const result = await validateConfigFile({ cwd: invalid, env: {} });
      assert.equal(result.ok, false);
      assert.equal(result.file, path.join(invalid, 'site.config.yaml'));
      assert.deepEqual(
        result.issues.map(({ file, path: key, value }) => ({ file, key, value })),
        [{ file: 'site.config.yaml', key: 'instance.type', value: 42 }],
      );

      const broken = await project({ 'site.config.yaml': 'name: [x\n' });
      const syntax = await validateConfigFile({ cwd: broken, env: {} });
      assert.equal(syntax.ok, false);
      assert.equal(syntax.issues.length, 1);
      assert.equal(syntax.issues[0].line, 2);
      assert.match(syntax.issues[0].message, /^site\.config\.yaml:2:1: YAML syntax error/);
    });
  });

  describe('plugin sections', () => {
    const cdn = {
      key: 'cdn',
      plugin: 'site-plugin-cdn',
      schema: z.strictObject({
        ttl: z.number().int().min(0).default(60),
        enabled: z.boolean().default(true),
      }),
    };

    it('validates a plugin section with the plugin schema, and records its sources', async () => {
      const dir = await project({ 'site.config.yaml': 'cdn:\n  ttl: 300\n' });
      const loaded = await load(dir, { pluginSections: [cdn] });
      assert.deepEqual(loaded.config.cdn, { ttl: 300, enabled: true });
      assert.deepEqual(loaded.sources['cdn.ttl'], { kind: 'file', file: path.join(dir, 'site.config.yaml') });
      assert.deepEqual(loaded.sources['cdn.enabled'], { kind: 'default' });
    });

    it('fills in a section the file leaves out when its schema has defaults', async () => {
      const dir = await project();
      const loaded = await load(dir, { pluginSections: [cdn] });
      assert.deepEqual(loaded.config.cdn, { ttl: 60, enabled: true });
    });

    it('reports errors inside a section, and is unknown when the plugin is not installed', async () => {
      const dir = await project({ 'site.config.yaml': 'cdn:\n  ttl: -1\n' });
      const invalid = await failure(load(dir, { pluginSections: [cdn] }));
      assert.match(invalid.message, /site\.config\.yaml: cdn\.ttl: found -1, expected a number at least 0/);

      const unknown = await failure(load(dir));
      assert.match(
        unknown.message,
        /site\.config\.yaml: cdn: found \{"ttl":-1\}, expected one of: name, region/,
      );
      assert.ok(unknown.suggestions.some((s) => s.includes('site plugins')));
    });

    it('an unknown top-level key is still an error; the section key is listed as known', async () => {
      const dir = await project({ 'site.config.yaml': 'cdm:\n  ttl: 5\n' });
      const error = await failure(load(dir, { pluginSections: [cdn] }));
      assert.match(error.message, /cdm: found .*expected one of: .*tags, cdn$/m);
      assert.ok(error.suggestions.includes('Did you mean "cdn" instead of "cdm"?'));
    });

    it('a plugin may not take a key of the core or of another plugin', async () => {
      const dir = await project();
      const clash = await failure(load(dir, { pluginSections: [{ ...cdn, key: 'instance' }] }));
      assert.equal(clash.code, 'PLUGIN_CONFIG_CONFLICT');
      assert.match(clash.message, /site-plugin-cdn/);
      const twice = await failure(load(dir, { pluginSections: [cdn, { ...cdn, plugin: 'other-plugin' }] }));
      assert.equal(twice.code, 'PLUGIN_CONFIG_CONFLICT');
    });
  });

  describe('JSON Schema and init', () => {
    it('emits the input JSON Schema, strict at the top, with plugin sections when given', () => {
      const schema = configJsonSchema() as {
        properties: Record<string, { default?: unknown }>;
        additionalProperties: unknown;
      };
      assert.equal(schema.additionalProperties, false);
      assert.equal(schema.properties.region.default, 'us-east-1');
      assert.ok('instance' in schema.properties && 'alb' in schema.properties);
      const withCdn = configJsonSchema([
        { key: 'cdn', plugin: 'p', schema: z.object({ ttl: z.number() }) },
      ]) as { properties: object };
      assert.ok('cdn' in withCdn.properties);
    });

    it('renders a commented site.config.yaml that parses and validates to the given values', async () => {
      const yaml = renderConfigYaml(
        { name: 'my-cafe', region: 'eu-west-1', instance: { type: 't3.small' } },
        { schema: 'https://example.com/site.schema.json' },
      );
      assert.match(yaml, /^# yaml-language-server: \$schema=https:\/\/example\.com\/site\.schema\.json\n/);
      assert.match(yaml, /# EC2 instance type\.\n {2}type: t3\.small\n/);
      assert.match(yaml, /# AWS shared-config profile\.\n# profile: default\n/);
      for (const line of yaml.split('\n')) {
        const key = /^\s*([A-Za-z]\w*):/.exec(line);
        if (!key) continue;
        const before = yaml.split('\n')[yaml.split('\n').indexOf(line) - 1];
        assert.match(before, /^\s*# /, `no comment above ${key[1]}`);
      }
      assert.equal(parseYaml(yaml).name, 'my-cafe');
      const dir = await project({ 'site.config.yaml': yaml });
      const loaded = await load(dir);
      assert.equal(loaded.config.name, 'my-cafe');
      assert.equal(loaded.config.region, 'eu-west-1');
      assert.equal(loaded.config.instance.type, 't3.small');
      assert.equal(loaded.config.alb.healthCheck.matcher, '200');
    });

    it('rejects invalid values instead of writing them', () => {
      assert.throws(() => renderConfigYaml({ name: 'My Site!!' }));
    });
  });

  it('loads cosmiconfig and yaml only when a configuration is read', async function () {
    this.timeout(60_000);
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = [
      "import { createRequire } from 'node:module';",
      `const core = await import(${JSON.stringify(index)});`,
      'const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules[\\\\/](cosmiconfig|yaml)[\\\\/]/.test(f)).length;',
      'const before = loaded();',
      `await core.loadConfig({ cwd: ${JSON.stringify(os.tmpdir())}, configPath: ${JSON.stringify(path.join(root, 'lazy.yaml'))}, env: {} });`,
      'console.log(JSON.stringify({ before, after: loaded() }));',
    ].join('\n');
    await writeFile(path.join(root, 'lazy.yaml'), 'name: lazy\n');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    const { before, after } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      before: number;
      after: number;
    };
    assert.equal(before, 0, 'importing @site-cli/core loaded cosmiconfig or yaml');
    assert.ok(after > 0, 'the probe does not see modules being loaded');
  });
});
