#!/usr/bin/env node
// Start-up time: `site --help` (and friends) against the floor of merely loading @oclif/core,
// measured side by side, interleaved, in one run. Prints medians and the ratio; writes nothing.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/run.js');
const runs = Number(process.env.STARTUP_RUNS ?? 15);

const commands = {
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
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const args of Object.values(commands)) time(args); // warm the file cache
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let i = 0; i < runs; i++)
  for (const [name, args] of Object.entries(commands)) samples[name].push(time(args));

const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
const floor = medians['oclif floor'];
console.log('| command | median ms | × oclif floor |\n|---|---|---|');
for (const [name, ms] of Object.entries(medians))
  console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / floor).toFixed(2)} |`);
const ratio = medians['site --help'] / floor;
console.log(
  `\nsite --help: ${ratio.toFixed(2)}× the time Node takes to load @oclif/core (target ≤ 2×, issue 7: ≤ 1.5×)`,
);
if (process.argv.includes('--json'))
  console.log(JSON.stringify({ startupHelpMs: medians['site --help'], startupOclifFloorMs: floor, medians }));
