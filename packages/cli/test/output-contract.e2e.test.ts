import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { BIN, interruptSite, runSite, tempProject, type SiteRun } from './run-site.js';

const CLI_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * How each command succeeds, in this order, on one sandbox: what a user would run. Every command that takes
 * --json must be here (or in COVERED_ELSEWHERE): a new command without a row fails the first test.
 */
const SUCCESS: [id: string, args: string[], status?: number][] = [
  ['config:init', ['--yes', '--name', 'contract']],
  ['config:show', []],
  ['config:validate', []],
  ['iam-policy', []],
  ['plan', ['--sandbox'], 3],
  ['keypair:create', ['--sandbox']],
  ['keypair:list', ['--sandbox']],
  ['deploy', ['--sandbox', '--yes']],
  ['status', ['--sandbox']],
  ['open', ['--sandbox', '--print']],
  ['doctor', ['--sandbox']],
  ['alb:status', ['--sandbox']],
  ['instance:status', ['--sandbox']],
  ['instance:ssh', ['--sandbox']],
  ['logs', ['--sandbox']],
  ['destroy', ['--sandbox', '--yes']],
  ['keypair:delete', ['--sandbox']],
  ['sandbox:reset', []],
  ['plugins', []],
  ['plugins:inspect', ['@site-cli/plugin-alb']],
];
/** Commands whose success needs more than this test sets up, with the test that covers it. */
const COVERED_ELSEWHERE: Record<string, string> = {
  'plugins:install': 'plugin-https.e2e.test.ts (a tarball by relative and absolute path)',
  'sandbox:start': 'below: it runs until Ctrl-C',
  cost: 'cost.e2e.test.ts (it needs a price snapshot: a test-only one is installed there)',
  rollback: 'storage.e2e.test.ts (a source.dir site: deploy, update, rollback --json)',
  // Needs a site with instance.scaling: its success and bounds documents are checked there.
  scale: 'moto/scaling.conformance.ts (site scale 4 --json, and 5 refused with exit 2)',
  init: 'preview.e2e.test.ts (from the loopback Tooplate mirror; it refuses the config this test writes)',
};

/** The one --json document on stdout: it must parse whole, so nothing else was printed there. */
function document(run: SiteRun): {
  status: number;
  result?: unknown;
  error?: Record<string, unknown>;
  warnings: string[];
} {
  let parsed: ReturnType<typeof document>;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    assert.fail(`stdout is not one JSON document:\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
  assert.deepEqual(
    Object.keys(parsed).sort(),
    parsed.error ? ['error', 'status', 'warnings'] : ['result', 'status', 'warnings'],
  );
  assert.equal(parsed.status, run.code, 'status is the exit code');
  assert.ok(Array.isArray(parsed.warnings));
  if (parsed.error) {
    assert.equal(typeof parsed.error.code, 'string');
    assert.match(parsed.error.code as string, /^[A-Z][A-Z0-9_]+$/);
    assert.equal(typeof parsed.error.message, 'string');
    assert.ok(Array.isArray(parsed.error.suggestions));
  }
  return parsed;
}

describe('one output contract for every command (--json envelope, clean stdout, exit codes)', function () {
  this.timeout(180_000);
  const project = tempProject();
  const site = (...args: string[]) => runSite(args, { cwd: project.dir, env: project.env });
  const words = (id: string) => id.split(':');
  let config: Config;
  let sim: Simulator;
  const locks = () => {
    const dir = path.join(project.env.SITE_DATA_DIR!, 'locks');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  before(async () => {
    // Every command the built CLI has, from the oclif manifests of the CLI and its plugins.
    config = await Config.load(CLI_ROOT);
    sim = await startSimulator({ profile: 'fast' });
    const sandbox = path.join(project.env.SITE_DATA_DIR!, 'sandbox');
    mkdirSync(sandbox, { recursive: true });
    writeFileSync(path.join(sandbox, 'endpoint.json'), JSON.stringify({ endpoint: sim.endpoint }));
  });
  after(() => sim?.stop());

  /** Each command once (an alias such as `plugins add` is the same command). */
  const commands = () => {
    const aliases = new Set(config.commands.flatMap((c) => c.aliases ?? []));
    return config.commands.filter((c) => !c.hidden && !aliases.has(c.id));
  };
  const ours = () => commands().filter((c) => c.pluginName?.startsWith('@site-cli/'));
  const withJson = () => commands().filter((c) => 'json' in (c.flags ?? {}));

  it('every command of site and its plugins takes --json, and has a success case here or elsewhere', () => {
    assert.ok(ours().length >= 17, `found ${ours().length} commands`);
    for (const command of ours()) assert.ok('json' in command.flags, `${command.id} takes no --json`);
    const covered = new Set([...SUCCESS.map(([id]) => id), ...Object.keys(COVERED_ELSEWHERE)]);
    for (const command of withJson())
      assert.ok(
        covered.has(command.id),
        `no success case for \`site ${words(command.id).join(' ')} --json\``,
      );
  });

  it('a command line it cannot parse: exit 2 and one failure document, for every command with --json', async () => {
    for (const command of withJson()) {
      const run = await site(...words(command.id), '--no-such-flag', '--json');
      assert.equal(run.code, 2, `${command.id}: ${run.stdout}${run.stderr}`);
      const { error } = document(run);
      assert.equal(error?.code, 'INVALID_COMMAND_LINE', command.id);
      assert.match(error?.message as string, /--no-such-flag/, command.id);
    }
  });

  it('succeeds with one document per command, in a life cycle on the sandbox', async () => {
    for (const [id, args, status = 0] of SUCCESS) {
      const run = await site(...words(id), ...args, '--json');
      assert.equal(run.code, status, `${id}: ${run.stdout}${run.stderr}`);
      assert.notEqual(document(run).result, undefined, id);
    }
    assert.deepEqual(locks(), [], 'every lock released');
  });

  it('fails with one document and the documented code: work that fails exits 1, bad input 2', async () => {
    const ssh = await site('instance', 'ssh', '--sandbox', '--json');
    assert.equal(ssh.code, 1, ssh.stderr);
    assert.equal(document(ssh).error?.code, 'NO_RUNNING_INSTANCE');

    const badFlag = await site('instance', 'ssh', '--sandbox', '--index', '0', '--json');
    assert.equal(badFlag.code, 2);
    assert.equal(document(badFlag).error?.code, 'INVALID_COMMAND_LINE');

    const conflict = await site(
      'alb',
      'status',
      '--sandbox',
      '--endpoint-url',
      'http://127.0.0.1:9',
      '--json',
    );
    assert.equal(conflict.code, 2, conflict.stderr);
    assert.equal(document(conflict).error?.code, 'FLAGS_CONFLICT');
  });

  it('keeps stdout for the document when a JS config file writes to the console', async () => {
    const dir = path.join(project.dir, 'js-config');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'site.config.mjs'),
      "console.log('hello from the config');\nexport default { name: 'chatty' };\n",
    );
    const run = await runSite(['config', 'show', '--json'], { cwd: dir, env: project.env });
    assert.equal(run.code, 0, run.stderr);
    document(run);
    assert.match(run.stderr, /hello from the config/);
  });

  it('unknown arguments and commands are bad input: exit 2, with the fix', async () => {
    const extra = await site('deploy', 'foo');
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /`site deploy` takes no argument "foo"/);
    assert.equal(extra.stdout, '');

    const extraJson = await site('keypair', 'list', 'everything', '--json');
    assert.equal(extraJson.code, 2);
    assert.equal(document(extraJson).error?.code, 'UNEXPECTED_ARGUMENT');

    const typo = await site('delpoy', '--json');
    assert.equal(typo.code, 2);
    const { error } = document(typo);
    assert.equal(error?.code, 'UNKNOWN_COMMAND');
    assert.match((error?.suggestions as string[]).join(' '), /Did you mean `site deploy`\?/);
  });

  it('SIGTERM during deploy: exit 143 with a message, the lock released, and the next deploy resumes', async () => {
    const stopped = await interruptSite(['deploy', '--sandbox', '--yes'], {
      cwd: project.dir,
      env: project.env,
      when: /Saved the private key/,
      signal: 'SIGTERM',
    });
    assert.ok(stopped.interrupted, stopped.stderr);
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.match(
      stopped.stderr.replace(/\s+/g, ' '),
      /Stopped by SIGTERM\. Everything created so far is tagged/,
    );
    assert.deepEqual(locks(), []);

    const resumed = await site('deploy', '--sandbox', '--yes', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    const destroyed = await site('destroy', '--sandbox', '--yes');
    assert.equal(destroyed.code, 0, destroyed.stderr);
  });

  it('Ctrl-C at the confirmation prompt: exit 130, nothing created, the lock released', async function () {
    const before = sim.mutatingCalls().length;
    const env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
    };
    // A terminal, as a user has: `script` runs site on a pseudo-terminal fed from our pipe.
    const command = [process.execPath, BIN, 'deploy', '--endpoint-url', sim.endpoint]
      .map((arg) => `'${arg}'`)
      .join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: project.dir,
      env: { ...process.env, ...env },
    });
    let output = '';
    let typed = false;
    const code = await new Promise<number>((resolve) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (!typed && /Apply these changes\? \[y\/N\]/.test(output)) {
          typed = true;
          child.stdin.write('\x03');
        }
      });
      child.on('close', (exit) => resolve(exit ?? 1));
    });
    assert.ok(typed, output);
    assert.equal(code, 130, output);
    assert.match(output.replace(/\s+/g, ' '), /Interrupted at the prompt: nothing was changed/);
    assert.doesNotMatch(output, /AbortError/);
    assert.deepEqual(sim.mutatingCalls().slice(before), []);
    assert.deepEqual(locks(), []);
  });

  it('`site sandbox start --json` stops on Ctrl-C with its document', async () => {
    const dataDir = path.join(project.dir, '.data-start');
    const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--json'], {
      cwd: project.dir,
      env: { ...process.env, ...project.env, SITE_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const endpointFile = path.join(dataDir, 'sandbox', 'endpoint.json');
    for (let i = 0; i < 100 && !existsSync(endpointFile); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(endpointFile), stderr);
    const code = await new Promise<number>((resolve) => {
      child.on('close', (exit) => resolve(exit ?? 1));
      child.kill('SIGINT');
    });
    assert.equal(code, 0, stderr);
    const { result } = document({ code, stdout, stderr });
    assert.match((result as { endpoint: string }).endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
