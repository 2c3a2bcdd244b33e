import { Flags } from '@oclif/core';

const INTERVAL_DEFAULT = '3s';
const TIMEOUT_DEFAULT = '10m';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90`, `90s`, `1.5m`, `500ms`, `1h` → milliseconds (a bare number is seconds); undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']!;
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** --interval and --timeout in milliseconds (their defaults when not given); a bad one is a usage error (exit 2). */
export async function watchDurations(flags: { interval?: string; timeout?: string }) {
  const { usageError } = await import('@site-cli/core');
  const read = (name: 'interval' | 'timeout', fallback: string) => {
    const text = flags[name] ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined || ms < 100)
      throw usageError(
        'INVALID_DURATION',
        `--${name} ${text}: not a duration of at least 0.1s.`,
        [`Give seconds or a unit: --${name} 5, 5s, 500ms, 2m or 1.5m (a bare number is seconds).`],
        { flag: name, value: text },
      );
    return ms;
  };
  return { intervalMs: read('interval', INTERVAL_DEFAULT), timeoutMs: read('timeout', TIMEOUT_DEFAULT) };
}

/** The flags of `site status --watch`. */
export const watchFlags = {
  watch: Flags.boolean({
    char: 'w',
    summary:
      'Refresh the status until Ctrl-C (exit 0): redrawn in place on a terminal, a line per change elsewhere.',
  }),
  until: Flags.string({
    summary:
      'Stop watching when the site is healthy: every target healthy and the URL answering 200 (exit 0).',
    options: ['healthy'],
    dependsOn: ['watch'],
  }),
  interval: Flags.string({
    summary: `Time between refreshes: 5, 5s, 500ms, 2m (default ${INTERVAL_DEFAULT}; scaled by SITE_TIME_SCALE like every poll).`,
    helpValue: '<duration>',
    dependsOn: ['watch'],
  }),
  timeout: Flags.string({
    summary: `With --until: give up after this long, exit 1 (default ${TIMEOUT_DEFAULT}).`,
    helpValue: '<duration>',
    dependsOn: ['until'],
  }),
};
