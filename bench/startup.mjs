#!/usr/bin/env node
// Start-up time: `site --help` (and friends) against the floor of merely loading @oclif/core,
// measured side by side, interleaved, in one run. Prints medians and the ratio; writes nothing.
// `npm run bench` uses measureStartup() from here for its start-up rows.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/run.js');

export const STARTUP_COMMANDS = {
  'oclif floor': ['-e', "require('@oclif/core')"],
  'site --version': [bin, '--version'],
  'site --help': [bin, '--help'],
  'site alb status --help': [bin, 'alb', 'status', '--help'],
};

const time = (args) => {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: path.join(root, 'packages/cli'), stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
};

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Median process time of each command, run interleaved after one warm-up round. */
export function measureStartup(runs = 15) {
  for (const args of Object.values(STARTUP_COMMANDS)) time(args); // warm the file cache
  const samples = Object.fromEntries(Object.keys(STARTUP_COMMANDS).map((name) => [name, []]));
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(STARTUP_COMMANDS)) samples[name].push(time(args));
  const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  return {
    runs,
    medians,
    startupHelpMs: medians['site --help'],
    startupOclifFloorMs: medians['oclif floor'],
    startupHelpRatio: medians['site --help'] / medians['oclif floor'],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = measureStartup(Number(process.env.STARTUP_RUNS ?? 15));
  const floor = result.startupOclifFloorMs;
  console.log('| command | median ms | × oclif floor |\n|---|---|---|');
  for (const [name, ms] of Object.entries(result.medians))
    console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / floor).toFixed(2)} |`);
  console.log(
    `\nsite --help: ${result.startupHelpRatio.toFixed(2)}× the time Node takes to load @oclif/core (target ≤ 1.5×)`,
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
}
