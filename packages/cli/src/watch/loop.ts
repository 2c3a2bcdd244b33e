import type { ResourceStatus } from '@site-cli/core';
import { siteHealth, statusChanges, type SiteHealth, type StatusChange } from './changes.js';

/** A change with the moment its refresh saw it. */
export type SeenChange = StatusChange & { at: string };

/** How a watch ended: stopped by the user, the site healthy (`--until healthy`), or the timeout first. */
export type WatchEnd = 'stopped' | 'healthy' | 'timeout';

export interface WatchOutcome {
  end: WatchEnd;
  last: ResourceStatus[];
  health: SiteHealth;
  changes: SeenChange[];
  refreshes: number;
}

/** What the user sees of each refresh: the terminal's table redrawn, or a line per change. */
export interface WatchView {
  refreshed(update: {
    groups: ResourceStatus[];
    changes: SeenChange[];
    health: SiteHealth;
    at: Date;
  }): void | Promise<void>;
  /** A refresh that failed after the first: the watch goes on. */
  failed(error: Error, at: Date): void;
}

export interface WatchOptions {
  /** One discovery: the same calls `site status` makes. */
  refresh: () => Promise<ResourceStatus[]>;
  intervalMs: number;
  until?: 'healthy';
  timeoutMs: number;
  view: WatchView;
  /** Registers `stop` for Ctrl-C / SIGTERM; returns how to unregister. */
  onInterrupt: (stop: () => void) => () => void;
  now?: () => Date;
}

/**
 * Refresh until Ctrl-C, or with `until: 'healthy'` until the site is healthy or `timeoutMs` passes. The first
 * refresh's error is the command's (bad credentials show at once); later ones are shown and the watch goes on.
 */
export async function watchStatus(options: WatchOptions): Promise<WatchOutcome> {
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let wake: () => void = () => {};
  const unregister = options.onInterrupt(() => {
    stopped = true;
    wake();
  });
  const deadline = now().getTime() + options.timeoutMs;
  const changes: SeenChange[] = [];
  let last: ResourceStatus[] | undefined;
  let health: SiteHealth = { healthy: false };
  let refreshes = 0;
  const told = new Map<string, string>();
  try {
    for (;;) {
      const at = now();
      let groups: ResourceStatus[] | undefined;
      try {
        groups = await options.refresh();
      } catch (error) {
        // Ctrl-C aborts the discovery in flight: the watch ends with what the last refresh saw.
        if (stopped && last) break;
        if (!last) throw error;
        options.view.failed(error as Error, at);
      }
      if (groups) {
        refreshes += 1;
        const seen = statusChanges(last, groups, told).map((change) => ({ ...change, at: at.toISOString() }));
        changes.push(...seen);
        last = groups;
        health = siteHealth(groups);
        await options.view.refreshed({ groups, changes: seen, health, at });
        if (options.until === 'healthy' && health.healthy)
          return { end: 'healthy', last, health, changes, refreshes };
      }
      if (stopped) break;
      const left = deadline - now().getTime();
      if (options.until && left <= 0) return { end: 'timeout', last: last!, health, changes, refreshes };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          resolve,
          options.until ? Math.min(options.intervalMs, left) : options.intervalMs,
        );
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
    }
    return { end: 'stopped', last: last!, health, changes, refreshes };
  } finally {
    unregister();
  }
}
