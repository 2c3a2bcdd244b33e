/**
 * The fault suite: every scenario against its own aws-sim, the built `site` binary as a child process.
 * Usage: node --import tsx test/faults/run.ts [name filter]; FAULTS_CONCURRENCY scenarios at a time
 * (default 2). Prints a line per scenario as it ends, then the summary line; exits 1 unless every scenario
 * converged with no duplicate and no orphan.
 */
import { useTooplateMirror } from '@site-cli/core/testing/tooplate-mirror';
import { runScenarios, scenarios, summaryLine } from './scenarios.js';

// The simulators fetch the template zip the instances download: from a loopback mirror, no internet.
const stopTooplateMirror = await useTooplateMirror();

const filter = process.argv[2]?.toLowerCase();
const chosen = scenarios.filter((s) => !filter || s.name.toLowerCase().includes(filter));
if (chosen.length === 0) {
  console.error(`faults: no scenario matches "${filter}"`);
  process.exit(2);
}

const results = await runScenarios(chosen, Number(process.env.FAULTS_CONCURRENCY ?? 2) || 2, (result) => {
  const took = `${(result.ms / 1000).toFixed(1)} s, ${result.calls} calls, ${result.failedCalls} failed by the simulator`;
  console.log(`${result.converged ? '✔' : '✘'} ${result.name} (${took})`);
  if (!result.converged) {
    console.log(`    seed ${result.seed}`);
    for (const problem of result.problems) console.log(`    - ${problem.replace(/\n/g, '\n      ')}`);
  }
});

console.log(summaryLine(results));
await stopTooplateMirror();
process.exitCode = results.every((r) => r.converged && r.duplicates === 0 && r.orphans === 0) ? 0 : 1;
