import { findString, shortId, shortenArns, table, type ResourceStatus } from '@site-cli/core';
import { changeLine, type SiteHealth } from './changes.js';
import type { SeenChange, WatchView } from './loop.js';

type Render = (groups: ResourceStatus[]) => Promise<string>;

const clock = (at: Date) => at.toTimeString().slice(0, 8);
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function healthLine(health: SiteHealth): string {
  if (health.healthy && health.httpSkipped) return `Healthy: every target healthy; ${health.httpSkipped}.`;
  return health.healthy
    ? 'Healthy: every target healthy and the URL answers 200.'
    : `Waiting for: ${health.waitingFor ?? 'the first refresh'}.`;
}

/**
 * Not a terminal (a pipe, CI, SITE_RENDERER=simple): the table once, then one line per change, each with the
 * time it was seen and naming its resource. Nothing when nothing changed.
 */
export function lineView(options: {
  render: Render;
  out: (text: string) => void;
  err: (text: string) => void;
}): WatchView {
  let first = true;
  return {
    async refreshed({ groups, changes, at }) {
      if (first) {
        first = false;
        options.out(await options.render(groups));
        return;
      }
      for (const change of changes) options.out(`${clock(at)}  ${changeLine(change)}`);
    },
    failed(error, at) {
      options.err(`${clock(at)}  refresh failed, trying again: ${error.message}`);
    },
  };
}

/**
 * The table a terminal redraws: the state second, so a line cut at the terminal's width still shows it, then
 * name, short id and the detail (AWS's reason codes) as far as it fits.
 */
export function terminalTable(groups: readonly ResourceStatus[]): string {
  const rows = groups.flatMap(({ title, rows }) =>
    rows.map((row) => ({
      what: title,
      state: row.state,
      name: row.name === title ? '' : row.name,
      id: shortId(row.id),
      detail: row.detail && shortenArns(row.detail),
    })),
  );
  const url = findString(
    groups.map((group) => group.summary),
    'url',
  );
  return `${table(rows, ['what', 'state', 'name', 'id', 'detail'])}\n\n${url ? `URL: ${url}` : 'The site has no URL yet.'}`;
}

/**
 * A terminal: the whole status redrawn in place (cursor up, erase below) with the latest changes beneath it,
 * like watch(1). The cursor is hidden while it runs; `close` shows it again and leaves the last frame.
 */
export function terminalView(options: {
  render?: Render;
  stream: NodeJS.WriteStream;
  heading: string;
  recent?: number;
}): WatchView & { close(): void } {
  const { stream } = options;
  const recent: string[] = [];
  let drawnRows = 0;
  let lastError: string | undefined;
  // Like watch(1): a line wider than the terminal is cut, so each line is one row and the redraw knows how far up to go.
  const cut = (line: string) => {
    const chars = Array.from(line.replace(ANSI, ''));
    const columns = stream.columns || 80;
    return chars.length > columns ? `${chars.slice(0, columns - 1).join('')}…` : chars.join('');
  };
  const draw = (lines: string[]) => {
    // Taller than the terminal, the top would scroll away and could not be redrawn: keep the bottom.
    const fit = (stream.rows ? lines.slice(-Math.max(1, stream.rows - 1)) : lines).map(cut);
    const clear = drawnRows > 0 ? `\x1b[${drawnRows}A\r\x1b[0J` : '';
    stream.write(`${clear}${fit.join('\n')}\n`);
    drawnRows = fit.length;
  };
  let frame: (at: Date) => string[] = () => [];
  stream.write('\x1b[?25l');
  return {
    async refreshed({ groups, changes, health, at }) {
      for (const change of changes) recent.push(`  ${clock(at)}  ${changeLine(change)}`);
      recent.splice(0, Math.max(0, recent.length - (options.recent ?? 6)));
      lastError = undefined;
      const shown = options.render ? await options.render(groups) : terminalTable(groups);
      frame = (now) => [
        `${options.heading} · ${clock(now)}`,
        '',
        ...shown.split('\n'),
        '',
        healthLine(health),
        ...(lastError ? [lastError] : []),
        ...(recent.length ? ['Changes:', ...recent] : []),
      ];
      draw(frame(at));
    },
    failed(error, at) {
      lastError = `Refresh failed at ${clock(at)}, trying again: ${error.message}`;
      draw(frame(at));
    },
    close() {
      stream.write('\x1b[?25h');
    },
  };
}

/** A view that shows nothing: --json prints one document at the end. */
export const silentView: WatchView = { refreshed() {}, failed() {} };

export type { SeenChange };
