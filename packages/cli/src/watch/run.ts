import { ExitCode, InterruptedError, SiteError, type ResourceStatus } from '@site-cli/core';
import { stoppedBy, watchInterrupt } from '../signals.js';
import { changeLine } from './changes.js';
import { watchStatus, type WatchEnd, type WatchView } from './loop.js';
import { healthLine, lineView, silentView, terminalView } from './view.js';

export interface WatchSummary {
  until?: 'healthy';
  end: WatchEnd;
  refreshes: number;
  healthy: boolean;
  changes: Array<Record<string, unknown> & { line: string }>;
}

/** A watch repeats discovery: a warning (a failed IP lookup) is worth saying once, not at every refresh. */
export function warnOnce(log: { warn(message: string): void }): void {
  const warn = log.warn.bind(log);
  const said = new Set<string>();
  log.warn = (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}

/**
 * `site status --watch`: pick the view (terminal, lines, or none for --json), scale the interval and timeout like
 * every poll, run the loop, and end as documented: Ctrl-C → exit 0 with the last status, healthy → exit 0,
 * timeout → WATCH_TIMEOUT (exit 1) naming what was still missing, SIGTERM → 143.
 */
export async function watchSiteStatus(options: {
  refresh: () => Promise<ResourceStatus[]>;
  render: (groups: ResourceStatus[]) => Promise<string>;
  json: boolean;
  intervalMs: number;
  timeoutMs: number;
  until?: 'healthy';
  site: string;
  out: (text: string) => void;
  err: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
}): Promise<{ last: ResourceStatus[]; watch: WatchSummary }> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const timeScale = Number(env.SITE_TIME_SCALE ?? '1') || 1;
  const intervalMs = options.intervalMs * timeScale;
  const timeoutMs = options.timeoutMs * timeScale;
  const onTerminal = !options.json && stdout.isTTY && !['simple', 'silent'].includes(env.SITE_RENDERER ?? '');
  const every = `every ${intervalMs / 1000}s`;
  const heading = options.until
    ? `${options.site}: status ${every} until healthy (timeout ${timeoutMs / 1000}s) · Ctrl-C stops`
    : `${options.site}: status ${every} · Ctrl-C stops`;
  const terminal = onTerminal ? terminalView({ stream: stdout, heading }) : undefined;
  const view: WatchView = options.json
    ? silentView
    : (terminal ?? lineView({ render: options.render, out: options.out, err: options.err }));

  let outcome;
  try {
    outcome = await watchStatus({
      refresh: options.refresh,
      intervalMs,
      timeoutMs,
      until: options.until,
      view,
      onInterrupt: watchInterrupt,
    });
  } finally {
    terminal?.close();
  }

  const watch: WatchSummary = {
    ...(options.until ? { until: options.until } : {}),
    end: outcome.end,
    refreshes: outcome.refreshes,
    healthy: outcome.health.healthy,
    changes: outcome.changes.map((change) => ({ ...change, line: changeLine(change) })),
  };
  // SIGTERM (a CI job cancelled) keeps its own code; Ctrl-C is how a watch is meant to end.
  if (outcome.end === 'stopped' && stoppedBy() === 'SIGTERM')
    throw new InterruptedError('Stopped watching: the site was not changed.');

  if (!options.json) {
    // On a terminal the last table is on screen already; in a log it closes the watch.
    if (!terminal) options.out(`\n${await options.render(outcome.last)}\n`);
    if (outcome.end === 'stopped') options.out('Stopped watching (Ctrl-C).');
    else options.out(healthLine(outcome.health));
  }
  if (outcome.end === 'timeout')
    throw new SiteError({
      code: 'WATCH_TIMEOUT',
      message: `${options.site} was not healthy after ${timeoutMs / 1000}s: ${outcome.health.waitingFor ?? 'not known'}.`,
      suggestions: [
        'Run `site alb status` for every target with the reason AWS gives.',
        'Run `site deploy` to resume a deploy that did not finish, or wait longer with --timeout.',
      ],
      exitCode: ExitCode.failure,
      details: { resources: outcome.last, watch },
    });
  return { last: outcome.last, watch };
}
