#!/usr/bin/env node
// npm run bench — how close `site` gets to AWS's own critical path (issue 7).
//
// The built `site` binary runs against aws-sim with the `realistic` latency profile, time-scaled by
// BENCH_TIME_SCALE (default 1/10) together with the tool's own poll delays (SITE_TIME_SCALE), and every
// time is reported back in real-profile seconds. Deploy, destroy and the seed's way are timed from their
// first AWS call: the process start-up is measured on its own (start-up rows), because time scaling
// would multiply it by the scale's inverse. Writes bench/results.json and prints a markdown table.
//
// BENCH_RUNS (default 5) deploy / re-deploy / destroy cycles give medians; STARTUP_RUNS (default 15).
// Scenarios: core (cycles, the seed's way, growth, start-up), domain (issue 16), content (issue 13: a source.dir
// update with a probe through the load balancer), scaling (issue 14: scale-out, instance refresh, calls by
// desired capacity). BENCH_ONLY=content,scaling runs those alone and keeps the other figures of results.json.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { profiles, startSimulator } from '@site-cli/aws-sim';
import {
  buildRegistry,
  collectConfigSections,
  createPluginApi,
  loadConfig,
  runSiteHook,
} from '@site-cli/core';
import { useTooplateMirror } from '@site-cli/core/testing/tooplate-mirror';
import { CONTENT_POLL_SECONDS } from '@site-cli/plugin-compute/lib/spec.js';
import { deployFloor, destroyFloor, newInstancesFloor } from './critical-path.mjs';
import { deploySeedWay } from './seed-way.mjs';
import { measureStartup, median } from './startup.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The instances' Tooplate zip comes from a loopback mirror (SITE_TOOPLATE_MIRROR): the bench times site, not
// tooplate.com, and needs no internet.
const stopTooplateMirror = await useTooplateMirror();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliRoot = path.join(root, 'packages/cli');
const bin = path.join(cliRoot, 'bin/run.js');
const SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STARTUP_RUNS = Number(process.env.STARTUP_RUNS ?? 15);
const GROWTH = [1, 3, 10];
const TARGETS = {
  deployRatio: 1.1,
  destroyRatio: 1.15,
  noopCalls: 12,
  startupHelpRatio: 1.5,
  domainDeployRatio: 1.1,
  contentUpdateFailedRequests: 0,
  scaleOutRatio: 1.1,
  refreshRatio: 1.1,
  refreshFailedRequests: 0,
  // Flat: a deploy makes no call per instance of the group (poll rounds may differ by one or two).
  scalingDeployCallsPerExtraInstance: 0.5,
};
const profile = profiles.realistic;

const began = Date.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Real milliseconds of a scaled run → seconds of the real profile. */
const profileSeconds = (ms) => ms / SCALE / 1000;
const round = (value, digits = 1) => Number(value.toFixed(digits));
const progress = (message) =>
  process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(3)}s] ${message}\n`);

/** A temp folder standing in for a user's project, with its config file. */
function project(count, yaml = `name: bench\ninstance: { count: ${count} }\n`) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-bench-'));
  writeFileSync(path.join(dir, 'site.config.yaml'), yaml);
  return dir;
}

function siteEnv(dir, sim) {
  const env = {
    ...process.env,
    SITE_DATA_DIR: path.join(dir, '.data'),
    SITE_TIME_SCALE: String(SCALE),
    SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
    AWS_ENDPOINT_URL: sim.endpoint,
    // The endpoint is aws-sim: site's final HTTP check goes through its data plane, as in the sandbox.
    SITE_SIMULATOR_ENDPOINT: sim.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    NO_COLOR: '1',
  };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE']) delete env[name];
  return env;
}

/** Run the built `site` binary; its AWS calls are the simulator's calls while it runs. */
function runSite(args, dir, sim) {
  return new Promise((resolve, reject) => {
    const from = sim.calls.length;
    const startedAt = Date.now();
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: dir, env: siteEnv(dir, sim), maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const endedAt = Date.now();
        if (error)
          return reject(new Error(`site ${args.join(' ')} failed (${error.code}):\n${stderr}${stdout}`));
        const calls = sim.calls.slice(from);
        const firstCallAt = calls[0]?.time ?? startedAt;
        resolve({
          result: JSON.parse(stdout).result,
          seconds: profileSeconds(endedAt - firstCallAt),
          wallMs: endedAt - startedAt,
          processStartMs: firstCallAt - startedAt,
          firstCallAt,
          endedAt,
          ...callStats(calls),
        });
      },
    );
  });
}

function callStats(calls) {
  const byAction = {};
  for (const call of calls) byAction[call.action] = (byAction[call.action] ?? 0) + 1;
  return {
    calls: calls.length,
    mutatingCalls: calls.filter((call) => call.mutating).length,
    byAction: Object.fromEntries(Object.entries(byAction).sort(([, a], [, b]) => b - a)),
  };
}

/** Probe the simulator's data plane for the site's first 200, independently of any tool. */
function watchSite(sim) {
  const everyMs = Math.max(10, 500 * SCALE); // half a profile second
  let first200;
  let stopped = false;
  const loop = (async () => {
    let url;
    while (!stopped && first200 === undefined) {
      if (!url) {
        const lb = sim.snapshot().loadBalancers[0];
        if (lb) url = sim.dataPlaneUrl(lb.dnsName);
      }
      if (url) {
        const answer = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        await answer?.body?.cancel();
        if (answer?.status === 200) first200 = Date.now();
      }
      await sleep(everyMs);
    }
  })();
  return {
    async until(deadlineMs) {
      while (first200 === undefined && Date.now() < deadlineMs) await sleep(everyMs);
      return this.stop();
    },
    async stop() {
      stopped = true;
      await loop;
      return first200;
    },
  };
}

/** The resources the CLI registers (every installed plugin's `site:resources`), and the config they read. */
async function loadGraph(dir) {
  const oclif = await Config.load(cliRoot);
  const runtime = createPluginApi();
  const pluginSections = await collectConfigSections(oclif, runtime);
  const { config } = await loadConfig({ cwd: dir, env: {}, pluginSections });
  const answers = await runSiteHook(oclif, 'site:resources', { runtime, siteConfig: config });
  const registry = buildRegistry(answers.map(({ plugin, result }) => ({ plugin, resources: result ?? [] })));
  return { registry, config };
}

/** deploy → deploy again (no change) → destroy, on a fresh simulated account. */
async function cycle(run, floors) {
  const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: run + 1 });
  const dir = project(1);
  try {
    const watcher = watchSite(sim);
    const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
    const first200 = await watcher.stop();
    if (!deploy.result.url) throw new Error('deploy gave no URL');
    const noop = await runSite(['deploy', '--yes', '--json'], dir, sim);
    if (noop.result.changed !== false) throw new Error('the re-deploy changed something');
    const destroy = await runSite(['destroy', '--yes', '--json'], dir, sim);
    if (destroy.result.remaining.length > 0) throw new Error(`destroy left ${destroy.result.remaining}`);
    deploy.first200Seconds = first200 ? profileSeconds(first200 - deploy.firstCallAt) : undefined;
    progress(
      `run ${run + 1}/${RUNS}: deploy ${deploy.seconds.toFixed(1)} s (${(deploy.seconds / floors.deploy).toFixed(3)}×), ` +
        `no-op ${noop.calls} calls, destroy ${destroy.seconds.toFixed(1)} s (${(destroy.seconds / floors.destroy).toFixed(3)}×)`,
    );
    return { deploy, noop, destroy };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The seed's way on a fresh simulated account: time to its last step, and to the site's first 200. */
async function baseline() {
  const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 99 });
  try {
    const watcher = watchSite(sim);
    await deploySeedWay({ endpoint: sim.endpoint, timeScale: SCALE });
    const scriptEnd = Date.now();
    const firstCallAt = sim.calls[0].time;
    // The seed's user now waits for the health checks with a browser: give it the profile's 10 minutes.
    const first200 = await watcher.until(scriptEnd + 600_000 * SCALE);
    if (!first200) throw new Error('the seed-way site never answered 200');
    const result = {
      seconds: profileSeconds(first200 - firstCallAt),
      scriptSeconds: profileSeconds(scriptEnd - firstCallAt),
      ...callStats(sim.calls),
    };
    progress(
      `seed's way: answers after ${result.seconds.toFixed(1)} s (script done after ${result.scriptSeconds.toFixed(1)} s)`,
    );
    return result;
  } finally {
    await sim.stop();
  }
}

/**
 * A site with a domain (plugin-domain): one deploy on a fresh account holding the zone, against its own critical
 * path, where the certificate's issuance (ACM and Route 53 figures of the realistic profile) runs beside the load
 * balancer. A failure is reported in the results rather than ending the bench.
 */
async function domainDeploy() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-bench-domain-'));
  writeFileSync(
    path.join(dir, 'site.config.yaml'),
    'name: bench\ndomain: { name: www.example-cafe.com, aliases: [example-cafe.com] }\n',
  );
  const sim = await startSimulator({
    profile: 'realistic',
    timeScale: SCALE,
    seed: 70,
    hostedZones: ['example-cafe.com'],
  });
  try {
    const { registry, config } = await loadGraph(dir);
    const floor = deployFloor(registry, profile, config);
    const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
    const check = deploy.result.resources['domain.site-https'];
    if (check?.answer !== 'https 200, http 301') throw new Error(`the HTTPS check said ${check?.answer}`);
    const result = { seconds: deploy.seconds, floor: floor.ms / 1000, path: floor.path, calls: deploy.calls };
    progress(
      `domain: deploy ${result.seconds.toFixed(1)} s (${(result.seconds / result.floor).toFixed(3)}×)`,
    );
    return result;
  } catch (error) {
    progress(`domain: failed: ${error.message.split('\n')[0]}`);
    return { error: error.message.split('\n')[0] };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A visitor through the load balancer (the simulator's data plane), one request every half profile second from
 * `start()` to `stop()`: each answer's time, status and the version it served (X-Site-Version), or its error.
 */
function probeSite(sim) {
  const everyMs = Math.max(10, 500 * SCALE);
  const answers = [];
  let stopped = false;
  let loop;
  return {
    start() {
      const lb = sim.snapshot().loadBalancers[0];
      const url = lb && sim.dataPlaneUrl(lb.dnsName);
      if (!url) throw new Error('the probe found no load balancer to request');
      loop = (async () => {
        while (!stopped) {
          const sentAt = Date.now();
          try {
            const answer = await fetch(url, {
              signal: AbortSignal.timeout(2000),
              headers: { 'cache-control': 'no-cache' },
            });
            await answer.body?.cancel();
            answers.push({ sentAt, status: answer.status, version: answer.headers.get('x-site-version') });
          } catch (error) {
            answers.push({ sentAt, error: error.cause?.code ?? error.message });
          }
          await sleep(everyMs);
        }
      })();
    },
    async stop() {
      stopped = true;
      await loop;
      return answers;
    },
  };
}

/** A probe's failures: answers other than 200, and (after `doneAt`) answers of any version but `version`. */
function failedAnswers(answers, { doneAt, version } = {}) {
  const failed = answers.filter(
    (a) => a.status !== 200 || (version !== undefined && a.sentAt >= doneAt && a.version !== version),
  );
  return { failed: failed.length, requests: answers.length, samples: failed.slice(0, 5) };
}

/**
 * Issue 13: a `source.dir` site at `instance.count` N, deployed once; then its index.html changes and `site deploy`
 * runs with a probe requesting the site throughout. The deploy is done when every target serves the new version.
 */
async function contentUpdate(count) {
  const dir = project(count, `name: bench\nsource: { dir: ./public }\ninstance: { count: ${count} }\n`);
  const page = (n) => `<!doctype html><html><body><h1>Bench café, edit ${n}</h1></body></html>\n`;
  mkdirSync(path.join(dir, 'public'));
  writeFileSync(path.join(dir, 'public/index.html'), page(1));
  const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 80 + count });
  try {
    const first = await runSite(['deploy', '--yes', '--json'], dir, sim);
    const before = first.result.resources['storage.content']?.versionId;
    writeFileSync(path.join(dir, 'public/index.html'), page(2));
    const probe = probeSite(sim);
    probe.start();
    const update = await runSite(['deploy', '--yes', '--json'], dir, sim);
    // Keep asking a while after: an old answer then is a failed one.
    await sleep(5000 * SCALE);
    const answers = await probe.stop();
    const version = update.result.resources['storage.content']?.versionId;
    if (!version || version === before)
      throw new Error(`the update published no new version (${before} → ${version})`);
    const live = update.result.resources['storage.content-live'];
    if (live?.contentVersion !== version || live.targetsServing !== `${count}/${count}`)
      throw new Error(
        `deploy ended with ${live?.targetsServing} targets serving ${live?.contentVersion}, not ${version}`,
      );
    const probed = failedAnswers(answers, { doneAt: update.endedAt, version });
    const result = {
      count,
      seconds: round(update.seconds),
      calls: update.calls,
      byAction: update.byAction,
      ...probed,
    };
    progress(
      `content update, instance.count ${count}: ${update.seconds.toFixed(1)} s, ${probed.failed} of ${probed.requests} probe requests failed`,
    );
    return result;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 14: a site on an Auto Scaling group. `site scale 3` at desired 1 until 3 healthy targets; a template
 * change on a group of 2 (an instance refresh) with a probe throughout; and a fresh deploy's API calls at
 * desired 1 / 3 / 10. The floors are the profile's: new instances launched, running, healthy.
 */
async function scaling() {
  const yaml = (desired, template = 'barista_cafe', id = '2137') =>
    `name: bench\ntemplate: { id: '${id}', name: ${template} }\ninstance: { scaling: { min: ${desired}, max: 10 } }\n`;
  const out = {};
  // Scale-out: from desired 1 to 3 healthy targets.
  {
    const dir = project(1, yaml(1));
    const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 90 });
    try {
      const { config } = await loadGraph(dir);
      const floor = newInstancesFloor(profile, config);
      const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
      out.deployCalls = [
        { desired: 1, calls: deploy.calls, seconds: round(deploy.seconds), byAction: deploy.byAction },
      ];
      const scale = await runSite(['scale', '3', '--json'], dir, sim);
      const serving = scale.result.instances.filter(
        (i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy',
      );
      if (serving.length !== 3)
        throw new Error(`site scale 3 ended with ${serving.length} healthy instances`);
      out.scaleOut = {
        seconds: scale.seconds,
        floor: floor.ms / 1000,
        path: floor.path,
        calls: scale.calls,
        byAction: scale.byAction,
      };
      progress(
        `scale-out 1 → 3: ${scale.seconds.toFixed(1)} s (${(scale.seconds / out.scaleOut.floor).toFixed(3)}×)`,
      );
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Refresh: a group of 2 deployed, then the Tooplate template changes and deploy rolls it through.
  {
    const dir = project(2, yaml(2));
    const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 91 });
    try {
      const { config } = await loadGraph(dir);
      const floor = newInstancesFloor(profile, config);
      await runSite(['deploy', '--yes', '--json'], dir, sim);
      writeFileSync(path.join(dir, 'site.config.yaml'), yaml(2, 'mini_finance', '2135'));
      const probe = probeSite(sim);
      probe.start();
      const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
      const answers = await probe.stop();
      if (!deploy.byAction.StartInstanceRefresh)
        throw new Error('the template change started no instance refresh');
      const probed = failedAnswers(answers);
      out.refresh = {
        seconds: deploy.seconds,
        floor: floor.ms / 1000,
        path: floor.path,
        calls: deploy.calls,
        byAction: deploy.byAction,
        ...probed,
      };
      progress(
        `refresh of 2: ${deploy.seconds.toFixed(1)} s (${(deploy.seconds / out.refresh.floor).toFixed(3)}×), ${probed.failed} of ${probed.requests} probe requests failed`,
      );
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // A fresh deploy's API calls at desired 3 and 10.
  for (const desired of [3, 10]) {
    const dir = project(desired, yaml(desired));
    const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 90 + desired });
    try {
      const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
      out.deployCalls.push({
        desired,
        calls: deploy.calls,
        seconds: round(deploy.seconds),
        byAction: deploy.byAction,
      });
      progress(`scaling desired ${desired}: deploy ${deploy.seconds.toFixed(1)} s, ${deploy.calls} calls`);
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

async function growth(count) {
  const sim = await startSimulator({ profile: 'realistic', timeScale: SCALE, seed: 50 + count });
  const dir = project(count);
  try {
    const deploy = await runSite(['deploy', '--yes', '--json'], dir, sim);
    progress(`instance.count ${count}: deploy ${deploy.seconds.toFixed(1)} s, ${deploy.calls} calls`);
    return { count, seconds: deploy.seconds, calls: deploy.calls, byAction: deploy.byAction };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- run everything (BENCH_ONLY=core,domain,content,scaling runs some; their figures replace those in results.json)
const SCENARIOS = ['core', 'domain', 'content', 'scaling'];
const only = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !SCENARIOS.includes(name)) ?? [];
if (unknown.length)
  throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')} (scenarios: ${SCENARIOS.join(', ')})`);
const wanted = (name) => !only || only.includes(name);
const resultsFile = path.join(root, 'bench/results.json');
const previous = only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};

progress(
  `time scale ${SCALE}, ${RUNS} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}; ${only ? only.join(', ') : 'every scenario'}`,
);
const graphDir = project(1);
const { registry, config } = await loadGraph(graphDir);
rmSync(graphDir, { recursive: true, force: true });
const deployPath = deployFloor(registry, profile, config);
const destroyPath = destroyFloor(registry, profile);
const floors = { deploy: deployPath.ms / 1000, destroy: destroyPath.ms / 1000 };
progress(`critical paths: deploy ${floors.deploy} s, destroy ${floors.destroy} s`);

const results = { ...previous };
delete results.targets;
delete results.benchSeconds;

/** When and under which load each scenario's figures were measured (they may come from different runs). */
results.measured = { ...results.measured };
async function measure(name, figures) {
  if (!wanted(name)) return;
  const loadAverage = round(os.loadavg()[0], 2);
  Object.assign(results, await figures());
  results.measured[name] = { at: new Date().toISOString(), loadAverage, cpus: os.cpus().length };
}
await measure('core', coreFigures);
await measure('domain', async () => {
  for (const key of Object.keys(results)) if (key.startsWith('domainDeploy')) delete results[key];
  return domainFigures(await domainDeploy());
});
await measure('content', contentFigures);
await measure('scaling', scalingFigures);

/** Deploy / re-deploy / destroy cycles, the seed's way, growth with instance.count, start-up. */
async function coreFigures() {
  const cycles = [];
  for (let run = 0; run < RUNS; run++) cycles.push(await cycle(run, floors));
  const seedWay = await baseline();
  const grown = [];
  for (const count of GROWTH.filter((count) => count !== 1)) grown.push(await growth(count));
  progress('start-up');
  const startup = measureStartup(STARTUP_RUNS);

  const medianOf = (pick) => median(cycles.map(pick));
  /** The run whose deploy time is the median: its call counts stand for all. */
  const typical = [...cycles].sort((a, b) => a.deploy.seconds - b.deploy.seconds)[
    Math.floor(cycles.length / 2)
  ];
  const deploySeconds = medianOf((c) => c.deploy.seconds);
  const destroySeconds = medianOf((c) => c.destroy.seconds);
  const growthRows = [
    { count: 1, seconds: deploySeconds, calls: typical.deploy.calls, byAction: typical.deploy.byAction },
    ...grown,
  ].map((row) => ({ ...row, seconds: round(row.seconds), ratio: round(row.seconds / floors.deploy, 3) }));

  return {
    runs: RUNS,
    deploySeconds: round(deploySeconds),
    deployFloorSeconds: floors.deploy,
    deployRatio: round(deploySeconds / floors.deploy, 3),
    deployCriticalPath: deployPath.path,
    deployFirst200Seconds: round(medianOf((c) => c.deploy.first200Seconds ?? NaN)),
    deployRunsSeconds: cycles.map((c) => round(c.deploy.seconds)),
    deployCalls: typical.deploy.calls,
    deployCallsByAction: typical.deploy.byAction,
    deployProcessStartMs: Math.round(medianOf((c) => c.deploy.processStartMs)),
    baselineSeconds: round(seedWay.seconds),
    baselineScriptSeconds: round(seedWay.scriptSeconds),
    baselineOverOurs: round(seedWay.seconds / deploySeconds, 3),
    baselineCalls: seedWay.calls,
    baselineCallsByAction: seedWay.byAction,
    noopCalls: Math.max(...cycles.map((c) => c.noop.calls)),
    noopMutatingCalls: Math.max(...cycles.map((c) => c.noop.mutatingCalls)),
    noopCallsByAction: typical.noop.byAction,
    noopMs: Math.round(medianOf((c) => c.noop.wallMs)),
    noopAwsMs: Math.round(medianOf((c) => c.noop.wallMs - c.noop.processStartMs)),
    destroySeconds: round(destroySeconds),
    destroyFloorSeconds: floors.destroy,
    destroyRatio: round(destroySeconds / floors.destroy, 3),
    destroyCriticalPath: destroyPath.path,
    destroyRunsSeconds: cycles.map((c) => round(c.destroy.seconds)),
    destroyCalls: typical.destroy.calls,
    destroyCallsByAction: typical.destroy.byAction,
    startupHelpMs: Math.round(startup.startupHelpMs),
    startupOclifFloorMs: Math.round(startup.startupOclifFloorMs),
    startupHelpRatio: round(startup.startupHelpRatio, 2),
    startupMs: Object.fromEntries(
      Object.entries(startup.medians).map(([name, ms]) => [name, Math.round(ms)]),
    ),
    growth: growthRows,
    growthTimeSpread: round(
      Math.max(...growthRows.map((row) => row.seconds)) / Math.min(...growthRows.map((row) => row.seconds)),
      3,
    ),
    growthCallsPerExtraInstance: round(
      (growthRows.at(-1).calls - growthRows[0].calls) / (growthRows.at(-1).count - growthRows[0].count),
      2,
    ),
  };
}

function domainFigures(domain) {
  return domain.error
    ? { domainDeployError: domain.error }
    : {
        domainDeploySeconds: round(domain.seconds),
        domainDeployFloorSeconds: domain.floor,
        domainDeployRatio: round(domain.seconds / domain.floor, 3),
        domainDeployCriticalPath: domain.path,
        domainDeployCalls: domain.calls,
      };
}

/** Issue 13: content updates at instance.count 1 and 3. */
async function contentFigures() {
  const rows = [];
  for (const count of [1, 3]) {
    try {
      rows.push(await contentUpdate(count));
    } catch (error) {
      progress(`content update, instance.count ${count}: failed: ${error.message.split('\n')[0]}`);
      rows.push({ count, error: error.message.split('\n')[0] });
    }
  }
  const done = rows.filter((row) => !row.error);
  return {
    contentUpdate: rows,
    contentUpdateTargetSeconds: 15 + CONTENT_POLL_SECONDS,
    ...(done.length === rows.length
      ? {
          contentUpdateSeconds: Math.max(...done.map((row) => row.seconds)),
          contentUpdateFailedRequests: done.reduce((sum, row) => sum + row.failed, 0),
        }
      : { contentUpdateSeconds: undefined, contentUpdateFailedRequests: undefined }),
  };
}

/** Issue 14: scale-out, instance refresh, and a deploy's calls at desired 1 / 3 / 10. */
async function scalingFigures() {
  let figures;
  try {
    figures = await scaling();
  } catch (error) {
    progress(`scaling: failed: ${error.message.split('\n')[0]}`);
    return { scalingError: error.message.split('\n')[0] };
  }
  const { scaleOut, refresh, deployCalls } = figures;
  return {
    scalingError: undefined,
    scaleOutSeconds: round(scaleOut.seconds),
    scaleOutFloorSeconds: scaleOut.floor,
    scaleOutRatio: round(scaleOut.seconds / scaleOut.floor, 3),
    scaleOutCriticalPath: scaleOut.path,
    scaleOutCalls: scaleOut.calls,
    scaleOutCallsByAction: scaleOut.byAction,
    refreshSeconds: round(refresh.seconds),
    refreshFloorSeconds: refresh.floor,
    refreshRatio: round(refresh.seconds / refresh.floor, 3),
    refreshCriticalPath: refresh.path,
    refreshCalls: refresh.calls,
    refreshCallsByAction: refresh.byAction,
    refreshFailedRequests: refresh.failed,
    refreshProbeRequests: refresh.requests,
    refreshFailedSamples: refresh.samples,
    scalingDeployCalls: deployCalls,
    scalingDeployCallsPerExtraInstance: round(
      (deployCalls.at(-1).calls - deployCalls[0].calls) /
        (deployCalls.at(-1).desired - deployCalls[0].desired),
      2,
    ),
  };
}

Object.assign(results, {
  generatedAt: new Date().toISOString(),
  profile: 'realistic',
  timeScale: SCALE,
  machine: { cpus: os.cpus().length, loadAverage: round(os.loadavg()[0], 2) },
  ...(only ? { lastScenarios: only } : { lastScenarios: SCENARIOS }),
  benchSeconds: Math.round((Date.now() - began) / 1000),
});
results.targets = Object.fromEntries(
  Object.entries({ ...TARGETS, contentUpdateSeconds: 15 + CONTENT_POLL_SECONDS })
    .filter(([key]) => results[key] !== undefined)
    .map(([key, max]) => [key, { max, value: results[key], met: results[key] <= max }]),
);
writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

// --- the table (rows for the figures results.json holds, whichever run measured them)
const mark = (key) => (results.targets[key]?.met ? '✅' : '❌');
const s = (seconds) => `${seconds.toFixed(1)} s`;
const has = (key) => results[key] !== undefined;
const byAction = (counts) =>
  Object.entries(counts)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
const coreRows = has('deploySeconds')
  ? [
      `| deploy: until the URL answers 200 | ${s(results.deploySeconds)} | critical path ${s(results.deployFloorSeconds)} | ${results.deployRatio.toFixed(3)}× | ≤ 1.10× ${mark('deployRatio')} |`,
      `| seed's way (sequential, fixed 15 s waiter polls) | ${s(results.baselineSeconds)} to 200 (script ends at ${s(results.baselineScriptSeconds)}) | site ${s(results.deploySeconds)} | ${results.baselineOverOurs.toFixed(2)}× slower | — |`,
      `| no-op re-deploy | ${results.noopCalls} API calls, ${results.noopMutatingCalls} mutating; ${results.noopMs} ms wall | — | — | ≤ 12 calls ${mark('noopCalls')} |`,
      `| destroy: until nothing is left | ${s(results.destroySeconds)} | critical path ${s(results.destroyFloorSeconds)} | ${results.destroyRatio.toFixed(3)}× | ≤ 1.15× ${mark('destroyRatio')} |`,
      ...Object.entries(results.startupMs)
        .filter(([name]) => name !== 'oclif floor')
        .map(
          ([name, ms]) =>
            `| start-up: \`${name}\` | ${ms} ms | oclif floor ${results.startupOclifFloorMs} ms | ${(ms / results.startupOclifFloorMs).toFixed(2)}× | ${name === 'site --help' ? `≤ 1.5× ${mark('startupHelpRatio')}` : '—'} |`,
        ),
      ...results.growth.map(
        (row) =>
          `| growth: instance.count ${row.count} | ${s(row.seconds)}, ${row.calls} API calls | critical path ${s(results.deployFloorSeconds)} | ${row.ratio.toFixed(3)}× | flat time, calls ≤ linear |`,
      ),
    ]
  : [];
const domainRows = results.domainDeployError
  ? [`| deploy with a domain (HTTPS, DNS) | failed: ${results.domainDeployError} | — | — | ≤ 1.10× ❌ |`]
  : has('domainDeploySeconds')
    ? [
        `| deploy with a domain (HTTPS, DNS) | ${s(results.domainDeploySeconds)} | critical path ${s(results.domainDeployFloorSeconds)} | ${results.domainDeployRatio.toFixed(3)}× | ≤ 1.10× ${mark('domainDeployRatio')} |`,
      ]
    : [];
const contentRows = (results.contentUpdate ?? []).map((row) =>
  row.error
    ? `| content update (source.dir), instance.count ${row.count} | failed: ${row.error} | — | — | ≤ ${results.contentUpdateTargetSeconds} s ❌ |`
    : `| content update (source.dir), instance.count ${row.count} | ${s(row.seconds)}; ${row.failed} of ${row.requests} probe requests failed | — | — | ≤ ${results.contentUpdateTargetSeconds} s ${row.seconds <= results.contentUpdateTargetSeconds ? '✅' : '❌'}, 0 failed ${row.failed === 0 ? '✅' : '❌'} |`,
);
const scalingRows = results.scalingError
  ? [`| Auto Scaling group (instance.scaling) | failed: ${results.scalingError} | — | — | — |`]
  : has('scaleOutSeconds')
    ? [
        `| \`site scale 3\` at desired 1, until 3 healthy targets | ${s(results.scaleOutSeconds)} | new instances healthy ${s(results.scaleOutFloorSeconds)} | ${results.scaleOutRatio.toFixed(3)}× | ≤ 1.10× ${mark('scaleOutRatio')} |`,
        `| instance refresh: template change, group of 2 | ${s(results.refreshSeconds)}; ${results.refreshFailedRequests} of ${results.refreshProbeRequests} probe requests failed | new instances healthy ${s(results.refreshFloorSeconds)} | ${results.refreshRatio.toFixed(3)}× | ≤ 1.10× ${mark('refreshRatio')}, 0 failed ${mark('refreshFailedRequests')} |`,
        `| API calls of a deploy, desired ${results.scalingDeployCalls.map((row) => row.desired).join(' / ')} | ${results.scalingDeployCalls.map((row) => row.calls).join(' / ')} (${results.scalingDeployCallsPerExtraInstance} per extra instance) | — | — | flat ${mark('scalingDeployCallsPerExtraInstance')} |`,
      ]
    : [];
const lines = [
  `Realistic latency profile, time scale ${SCALE}; seconds are real-profile seconds from the first AWS call.`,
  `Measured: ${Object.entries(results.measured)
    .map(
      ([name, m]) =>
        `${name} ${m.at.slice(0, 16).replace('T', ' ')} UTC (load ${m.loadAverage} on ${m.cpus} CPUs)`,
    )
    .join('; ')}.`,
  '',
  '| measure | site | floor / reference | ratio | target |',
  '|---|---|---|---|---|',
  ...coreRows,
  ...domainRows,
  ...contentRows,
  ...scalingRows,
  '',
  ...(has('deploySeconds')
    ? [
        `Growth: the slowest deploy takes ${results.growthTimeSpread.toFixed(3)}× the fastest; each extra instance adds ${results.growthCallsPerExtraInstance} API calls.`,
        `The site first answered (independent probe) ${s(results.deployFirst200Seconds)} after site's first call; site reported it ${s(results.deploySeconds - results.deployFirst200Seconds)} later.`,
        `Deploy critical path: ${results.deployCriticalPath.join(' → ')}. Destroy: ${results.destroyCriticalPath.join(' → ')} (reverse graph).`,
        `Deploy API calls (${results.deployCalls}): ${byAction(results.deployCallsByAction)}.`,
        `No-op calls: ${byAction(results.noopCallsByAction)}.`,
      ]
    : []),
  ...(results.contentUpdate ?? [])
    .filter((row) => !row.error)
    .map(
      (row) => `Content update calls, instance.count ${row.count} (${row.calls}): ${byAction(row.byAction)}.`,
    ),
  ...(results.scalingDeployCalls ?? []).map(
    (row) => `Deploy calls at desired ${row.desired} (${row.calls}): ${byAction(row.byAction)}.`,
  ),
];
console.log(lines.join('\n'));
progress(`done in ${results.benchSeconds} s; wrote bench/results.json`);
await stopTooplateMirror();
