import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsCli } from './moto/moto.js';
import { BIN, runSite, tempProject } from './run-site.js';

/**
 * Issue 13's "Done when", as a new user does it on the sandbox: `site init --template` from the loopback Tooplate
 * mirror, edit, deploy, open the preview and see the edit; edit again and deploy while a probe keeps requesting
 * the site through the load balancer (no failed answer, no old version once deploy said done, no instance
 * replaced); roll back; destroy to nothing, read back with the AWS CLI.
 */

const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };

/** `site sandbox start` in the background (it keeps the data plane up for `site open --print`). */
async function sandboxStart(project: { dir: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start'], {
    cwd: project.dir,
    env: { ...process.env, ...project.env },
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk;
      const found = /Sandbox running at (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`sandbox start exited ${code}: ${output}`)));
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return {
    endpoint,
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

interface Answer {
  status: number;
  body: string;
  /** Sent after deploy had reported done. */
  afterDone: boolean;
}

/** Requests `url` back to back until stopped: what a visitor refreshing the page through the update would see. */
function probe(url: string) {
  const answers: Answer[] = [];
  let done = false;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const afterDone = done;
      try {
        const response = await fetch(url);
        answers.push({ status: response.status, body: await response.text(), afterDone });
      } catch (error) {
        answers.push({ status: 0, body: String(error), afterDone });
      }
    }
  })();
  return {
    answers,
    deployDone: () => (done = true),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

describe("a new user's own site: init, edit, preview, deploy, update in place, roll back, destroy", function () {
  this.timeout(240_000);
  const project = tempProject();
  const site = (...args: string[]) => runSite(args, { cwd: project.dir, env: project.env });
  const index = path.join(project.dir, 'public', 'index.html');
  const edit = (words: string) => {
    const page = readFileSync(index, 'utf8').replace(
      /<h1>([^<]*?)(?: — [^<]*)?<\/h1>/,
      `<h1>$1 — ${words}</h1>`,
    );
    assert.match(page, new RegExp(words));
    writeFileSync(index, page);
  };
  let sandbox: Awaited<ReturnType<typeof sandboxStart>>;
  let browserUrl: string;
  const page = async () => (await fetch(browserUrl)).text();
  const instanceIds = async () =>
    (
      json((await site('instance', 'status', '--sandbox', '--json')).stdout).result.instances as {
        instanceId: string;
      }[]
    )
      .map((i) => i.instanceId)
      .sort();

  before(async () => {
    sandbox = await sandboxStart(project);
  });
  after(async () => {
    await site('destroy', '--sandbox', '--yes');
    await sandbox?.stop();
  });

  it('init writes a folder and a config that `site config validate` accepts', async () => {
    const init = await site('init', '--template', '2137_barista_cafe', '--json');
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual(json(init.stdout).result.config, { name: 'barista-cafe', source: { dir: './public' } });
    const valid = await site('config', 'validate', '--json');
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.equal(json(valid.stdout).status, 0);
  });

  it('deploys the edited folder and the printed preview URL serves the edit', async () => {
    edit('Oat milk today');
    const deploy = await site('deploy', '--sandbox', '--yes', '--json');
    assert.equal(deploy.code, 0, deploy.stderr);
    const open = await site('open', '--sandbox', '--print', '--json');
    assert.equal(open.code, 0, open.stderr);
    const { result } = json(open.stdout);
    assert.equal(result.servedBy, 'sandbox start');
    assert.match(result.browserUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    browserUrl = result.browserUrl;
    assert.match(await page(), /Oat milk today/);
  });

  it('a second edit is served after deploy with no failed request, no old answer after done, no instance replaced', async () => {
    const before = await instanceIds();
    assert.equal(before.length, 1);
    assert.match(before[0]!, /^i-[0-9a-f]{17}$/);
    edit('Cold brew on tap');
    const visitor = probe(browserUrl);
    const deploy = await site('deploy', '--sandbox', '--yes', '--json');
    visitor.deployDone();
    // A few more rounds after done: each must be the new version.
    const until = visitor.answers.length + 20;
    while (visitor.answers.length < until) await new Promise((resolve) => setImmediate(resolve));
    await visitor.stop();
    assert.equal(deploy.code, 0, deploy.stderr);

    const failed = visitor.answers.filter((a) => a.status !== 200);
    assert.equal(
      failed.length,
      0,
      `${failed.length} of ${visitor.answers.length} answers were not 200: ${failed[0]?.body}`,
    );
    const stale = visitor.answers.filter((a) => a.afterDone && !/Cold brew on tap/.test(a.body));
    assert.equal(stale.length, 0, `${stale.length} answers after done were not the new version`);
    assert.ok(
      visitor.answers.some((a) => !a.afterDone),
      'the probe ran during the deploy',
    );
    // Never a mix: every answer is one version or the other, whole.
    for (const answer of visitor.answers) assert.match(answer.body, /Oat milk today|Cold brew on tap/);
    assert.deepEqual(await instanceIds(), before);
  });

  it('rollback serves the first edit again', async () => {
    const back = await site('rollback', '--sandbox', '--json');
    assert.equal(back.code, 0, back.stderr);
    assert.match(await page(), /Oat milk today/);
  });

  it('destroy leaves nothing: no bucket, role or instance profile (read with the AWS CLI)', async () => {
    const destroy = await site('destroy', '--sandbox', '--yes', '--json');
    assert.equal(destroy.code, 0, destroy.stderr);
    const aws = await awsCli(sandbox.endpoint);
    const buckets = (await aws('s3api', 'list-buckets')).Buckets ?? [];
    assert.deepEqual(buckets, []);
    await assert.rejects(aws('iam', 'get-role', '--role-name', 'barista-cafe-instance-role'), /NoSuchEntity/);
    await assert.rejects(
      aws('iam', 'get-instance-profile', '--instance-profile-name', 'barista-cafe-instance-profile'),
      /NoSuchEntity/,
    );
  });
});
