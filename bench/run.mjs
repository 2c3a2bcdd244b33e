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
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { deployFloor, destroyFloor } from './critical-path.mjs';
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
function project(count) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-bench-'));
  writeFileSync(path.join(dir, 'site.config.yaml'), `name: bench\ninstance: { count: ${count} }\n`);
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

// --- run everything
progress(`time scale ${SCALE}, ${RUNS} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
const graphDir = project(1);
const { registry, config } = await loadGraph(graphDir);
rmSync(graphDir, { recursive: true, force: true });
const deployPath = deployFloor(registry, profile, config);
const destroyPath = destroyFloor(registry, profile);
const floors = { deploy: deployPath.ms / 1000, destroy: destroyPath.ms / 1000 };
progress(`critical paths: deploy ${floors.deploy} s, destroy ${floors.destroy} s`);

const cycles = [];
for (let run = 0; run < RUNS; run++) cycles.push(await cycle(run, floors));
const seedWay = await baseline();
const grown = [];
for (const count of GROWTH.filter((count) => count !== 1)) grown.push(await growth(count));
const domain = await domainDeploy();
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

const results = {
  generatedAt: new Date().toISOString(),
  profile: 'realistic',
  timeScale: SCALE,
  runs: RUNS,
  machine: { cpus: os.cpus().length, loadAverage: round(os.loadavg()[0], 2) },
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
  startupMs: Object.fromEntries(Object.entries(startup.medians).map(([name, ms]) => [name, Math.round(ms)])),
  growth: growthRows,
  growthTimeSpread: round(
    Math.max(...growthRows.map((row) => row.seconds)) / Math.min(...growthRows.map((row) => row.seconds)),
    3,
  ),
  growthCallsPerExtraInstance: round(
    (growthRows.at(-1).calls - growthRows[0].calls) / (growthRows.at(-1).count - growthRows[0].count),
    2,
  ),
  ...(domain.error
    ? { domainDeployError: domain.error }
    : {
        domainDeploySeconds: round(domain.seconds),
        domainDeployFloorSeconds: domain.floor,
        domainDeployRatio: round(domain.seconds / domain.floor, 3),
        domainDeployCriticalPath: domain.path,
        domainDeployCalls: domain.calls,
      }),
  benchSeconds: Math.round((Date.now() - began) / 1000),
};
results.targets = Object.fromEntries(
  Object.entries(TARGETS)
    .filter(([key]) => results[key] !== undefined)
    .map(([key, max]) => [key, { max, value: results[key], met: results[key] <= max }]),
);
writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

// --- the table
const mark = (key) => (results.targets[key].met ? '✅' : '❌');
const s = (seconds) => `${seconds.toFixed(1)} s`;
const lines = [
  `Realistic latency profile, time scale ${SCALE}, median of ${RUNS} runs; seconds are real-profile seconds from the first AWS call.`,
  '',
  '| measure | site | floor / reference | ratio | target |',
  '|---|---|---|---|---|',
  `| deploy: until the URL answers 200 | ${s(results.deploySeconds)} | critical path ${s(floors.deploy)} | ${results.deployRatio.toFixed(3)}× | ≤ 1.10× ${mark('deployRatio')} |`,
  `| seed's way (sequential, fixed 15 s waiter polls) | ${s(results.baselineSeconds)} to 200 (script ends at ${s(results.baselineScriptSeconds)}) | site ${s(results.deploySeconds)} | ${results.baselineOverOurs.toFixed(2)}× slower | — |`,
  `| no-op re-deploy | ${results.noopCalls} API calls, ${results.noopMutatingCalls} mutating; ${results.noopMs} ms wall | — | — | ≤ 12 calls ${mark('noopCalls')} |`,
  `| destroy: until nothing is left | ${s(results.destroySeconds)} | critical path ${s(floors.destroy)} | ${results.destroyRatio.toFixed(3)}× | ≤ 1.15× ${mark('destroyRatio')} |`,
  ...Object.entries(results.startupMs)
    .filter(([name]) => name !== 'oclif floor')
    .map(
      ([name, ms]) =>
        `| start-up: \`${name}\` | ${ms} ms | oclif floor ${results.startupOclifFloorMs} ms | ${(ms / results.startupOclifFloorMs).toFixed(2)}× | ${name === 'site --help' ? `≤ 1.5× ${mark('startupHelpRatio')}` : '—'} |`,
    ),
  results.domainDeployError
    ? `| deploy with a domain (HTTPS, DNS) | failed: ${results.domainDeployError} | — | — | ≤ 1.10× ❌ |`
    : `| deploy with a domain (HTTPS, DNS) | ${s(results.domainDeploySeconds)} | critical path ${s(results.domainDeployFloorSeconds)} | ${results.domainDeployRatio.toFixed(3)}× | ≤ 1.10× ${mark('domainDeployRatio')} |`,
  ...growthRows.map(
    (row) =>
      `| growth: instance.count ${row.count} | ${s(row.seconds)}, ${row.calls} API calls | critical path ${s(floors.deploy)} | ${row.ratio.toFixed(3)}× | flat time, calls ≤ linear |`,
  ),
  '',
  `Growth: the slowest deploy takes ${results.growthTimeSpread.toFixed(3)}× the fastest; each extra instance adds ${results.growthCallsPerExtraInstance} API calls.`,
  `The site first answered (independent probe) ${s(results.deployFirst200Seconds)} after site's first call; site reported it ${s(results.deploySeconds - results.deployFirst200Seconds)} later.`,
  `Deploy critical path: ${deployPath.path.join(' → ')}. Destroy: ${destroyPath.path.join(' → ')} (reverse graph).`,
  `Deploy API calls (${results.deployCalls}): ${Object.entries(results.deployCallsByAction)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ')}.`,
  `No-op calls: ${Object.entries(results.noopCallsByAction)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ')}.`,
];
console.log(lines.join('\n'));
progress(`done in ${results.benchSeconds} s; wrote bench/results.json`);
await stopTooplateMirror();
