import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { zipSync } from 'fflate';
import { BIN, runSite, tempProject } from './run-site.js';

/**
 * Issue 13 (items 2 and 5): start from a template, edit it, deploy it to the sandbox and see the edit
 * through the load balancer. The template zip comes from the loopback Tooplate mirror the test kit starts
 * (SITE_TEMPLATE_BASE_URL). The same flow through `source.dir` is own-site.e2e.test.ts; this file serves the
 * edited folder as a loopback source.url zip, and covers `open --sandbox` serving it itself.
 */
describe('init from a template, edit, deploy to the sandbox, open', function () {
  this.timeout(180_000);
  const project = tempProject();
  const site = (...args: string[]) => runSite(args, { cwd: project.dir, env: project.env });
  let server: Server | undefined;

  after(async () => {
    await site('destroy', '--sandbox', '--yes');
    server?.close();
  });

  it('unpacks the template into ./public with the top-folder rule and writes a config with source.dir', async () => {
    const run = await site('init', '--template', '2137_barista_cafe', '--json');
    assert.equal(run.code, 0, run.stderr);
    const { result } = JSON.parse(run.stdout);
    assert.equal(result.files, 2);
    assert.deepEqual(result.config, { name: 'barista-cafe', source: { dir: './public' } });
    assert.deepEqual(readdirSync(path.join(project.dir, 'public')).sort(), ['css', 'index.html']);
    assert.match(readFileSync(path.join(project.dir, 'public/index.html'), 'utf8'), /2137_barista_cafe/);
    const config = readFileSync(path.join(project.dir, 'site.config.yaml'), 'utf8');
    assert.match(config, /^name: barista-cafe/m);
    assert.match(config, /^source: \{ dir: \.\/public \}/m);
    assert.doesNotMatch(config, /^template:/m, 'a folder source has no template');
  });

  it('refuses a non-empty folder and a bad or unknown template (exit 2), writing nothing', async () => {
    const before = readFileSync(path.join(project.dir, 'site.config.yaml'), 'utf8');
    const again = await site('init', '--template', '2137_barista_cafe', '--json');
    assert.equal(again.code, 2);
    assert.equal(JSON.parse(again.stdout).error.code, 'INIT_DIR_NOT_EMPTY');
    const bad = await site('init', '--template', 'barista', 'web');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /<id>_<name>/);
    const unknown = await runSite(['init', '--template', '9999_nothing', 'web', '--json', '--force'], {
      cwd: project.dir,
      env: { ...project.env, SITE_TEMPLATE_BASE_URL: `${process.env.SITE_TEMPLATE_BASE_URL}missing/` },
    });
    assert.equal(unknown.code, 2, unknown.stdout);
    assert.equal(JSON.parse(unknown.stdout).error.code, 'TEMPLATE_NOT_FOUND');
    assert.equal(existsSync(path.join(project.dir, 'web')), false);
    assert.equal(readFileSync(path.join(project.dir, 'site.config.yaml'), 'utf8'), before);
  });

  it("serves the edited page through the sandbox's load balancer, and open --sandbox serves it until Ctrl-C", async () => {
    const edited = readFileSync(path.join(project.dir, 'public/index.html'), 'utf8').replace(
      '</h1>',
      ' — now with oat milk</h1>',
    );
    writeFileSync(path.join(project.dir, 'public/index.html'), edited);
    const zip = zipSync({
      'public/index.html': Buffer.from(edited),
      'public/css/tooplate.css': readFileSync(path.join(project.dir, 'public/css/tooplate.css')),
    });
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(zip));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site.zip`;
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: barista-cafe\nsource: { url: "${url}" }\nssh: { cidr: none }\n`,
    );

    const deploy = await site('deploy', '--sandbox', '--yes');
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stderr, /^Preview: run `site open --sandbox`/m);
    const json = await site('deploy', '--sandbox', '--yes', '--json');
    assert.deepEqual(JSON.parse(json.stdout).result.preview, { command: 'site open --sandbox' });

    // No `sandbox start` runs: `open --sandbox` serves the site itself, prints the URL, and ends with Ctrl-C.
    const child = spawn(process.execPath, [BIN, 'open', '--sandbox', '--json'], {
      cwd: project.dir,
      env: { ...process.env, ...project.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    const served = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c) => {
        stderr += c;
        const m =
          /Serving http:\/\/barista-cafe-alb-[^ ]+ at (http:\/\/127\.0\.0\.1:\d+\/) until Ctrl-C/.exec(
            stderr,
          );
        if (m) resolve(m[1]!);
      });
      child.once('close', () => reject(new Error(`open ended early:\n${stdout}\n${stderr}`)));
    });
    const page = await fetch(served);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), edited);
    assert.match(page.headers.get('x-site-instance') ?? '', /^i-[0-9a-f]{17}$/);
    assert.match(page.headers.get('x-site-version') ?? '', /^sha256:/);
    const css = await fetch(new URL('css/tooplate.css', served));
    assert.equal(css.headers.get('content-type'), 'text/css; charset=UTF-8');
    assert.equal((await fetch(new URL('no-such-page.html', served))).status, 404);

    const code = await new Promise<number | null>((resolve) => {
      child.once('close', resolve);
      child.kill('SIGINT');
    });
    assert.equal(code, 0, stderr);
    const { status, result } = JSON.parse(stdout);
    assert.equal(status, 0);
    assert.equal(result.browserUrl, served);
    assert.equal(result.servedBy, 'this command');
    assert.equal(result.opened, false);
    assert.match(result.url, /^http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid\/$/);
  });
});
