import type { ResourceStatus } from '@site-cli/core';
import { shortId, shortenArns } from '@site-cli/core';

/** One status row and the resource it belongs to, as `status --watch` compares them between refreshes. */
export interface WatchedRow {
  resourceId: string;
  what: string;
  name: string;
  id: string;
  state: string;
  detail?: string;
}

/** What one refresh saw differently from the one before: a row that appeared, went, or changed state or detail. */
export interface StatusChange {
  resourceId: string;
  what: string;
  name: string;
  id: string;
  /** Missing when the row appeared. */
  from?: { state: string; detail?: string };
  /** Missing when the row went. */
  to?: { state: string; detail?: string };
}

const ABSENT = 'absent';

// A row is the same row across refreshes when its resource, name and id are: an instance by its id, a target by its instance.
const keyOf = (row: WatchedRow) => `${row.resourceId}\t${row.name}\t${row.id}`;

export function watchedRows(groups: readonly ResourceStatus[]): WatchedRow[] {
  return groups.flatMap(({ resourceId, title, rows }) =>
    rows.map((row) => ({
      resourceId,
      what: title,
      name: row.name,
      id: row.id,
      state: row.state,
      ...(row.detail ? { detail: row.detail } : {}),
    })),
  );
}

/**
 * The changes from `before` to `after`, in the order `site status` lists the rows (gone rows last). The first
 * refresh has nothing to compare with: no changes. A resource's "absent" row going away is not a change of its
 * own (its real rows appearing say it). The same transition of the same row name and id seen by two resources
 * (the targets and the site check both list each target, and may see it a refresh apart) is told once, by the
 * first: `told` remembers who told which, across the refreshes of one watch.
 */
export function statusChanges(
  before: readonly ResourceStatus[] | undefined,
  after: readonly ResourceStatus[],
  told: Map<string, string> = new Map(),
): StatusChange[] {
  if (!before) return [];
  const previous = new Map(watchedRows(before).map((row) => [keyOf(row), row]));
  const current = watchedRows(after);
  const seen = new Set(current.map(keyOf));
  const changes: StatusChange[] = [];
  const add = (change: StatusChange) => {
    const transition = [change.name, change.id, change.from?.state, change.to?.state].join('\t');
    const teller = told.get(transition);
    if (teller !== undefined && teller !== change.resourceId) return;
    told.set(transition, change.resourceId);
    changes.push(change);
  };
  const stateOf = (row: WatchedRow) => ({ state: row.state, ...(row.detail ? { detail: row.detail } : {}) });
  const base = (row: WatchedRow) => ({
    resourceId: row.resourceId,
    what: row.what,
    name: row.name,
    id: row.id,
  });

  for (const row of current) {
    const old = previous.get(keyOf(row));
    if (!old) add({ ...base(row), to: stateOf(row) });
    else if (old.state !== row.state || (old.detail ?? '') !== (row.detail ?? ''))
      add({ ...base(row), from: stateOf(old), to: stateOf(row) });
  }
  for (const [key, old] of previous)
    if (!seen.has(key) && old.state !== ABSENT) add({ ...base(old), from: stateOf(old) });
  return changes;
}

const described = (side: { state: string; detail?: string }) =>
  side.detail ? `${side.state} (${shortenArns(side.detail)})` : side.state;

/**
 * One line per change, naming the resource, the row and its id:
 * `Targets target i-0abc…: initial (Elb.RegistrationInProgress) → healthy`.
 */
export function changeLine(change: StatusChange): string {
  const { from, to } = change;
  // An absent resource's row is named after the resource itself: the title says it all.
  const who =
    change.id === '-' && change.name === change.what
      ? change.what
      : [change.what, change.name, shortId(change.id)].filter((part) => part && part !== '-').join(' ');
  if (!from) return to!.state === ABSENT ? `${who}: absent` : `${who}: appeared, ${described(to!)}`;
  if (!to) return `${who}: gone (was ${described(from)})`;
  // The detail that did not change is the table's to show, not the line's.
  if ((from.detail ?? '') === (to.detail ?? '')) return `${who}: ${from.state} → ${to.state}`;
  if (from.state === to.state)
    return `${who}: ${to.state}, ${from.detail ? shortenArns(from.detail) : '-'} → ${to.detail ? shortenArns(to.detail) : '-'}`;
  return `${who}: ${described(from)} → ${described(to)}`;
}

/** Whether the site is up as deploy means it: every target healthy (at least one) and the URL answering 200 (or not reachable from here at all, as on moto). */
export interface SiteHealth {
  healthy: boolean;
  /** What is still missing, for the user waiting on it. */
  waitingFor?: string;
  /** Why the URL was not checked (an emulator's load balancer resolves nowhere). */
  httpSkipped?: string;
}

export function siteHealth(groups: readonly ResourceStatus[]): SiteHealth {
  // The site check's summary (alb.site-health) counts the healthy targets and holds the HTTP answer.
  const check = groups.find((group) => typeof group.summary?.healthyTargets === 'string');
  if (!check?.summary)
    return { healthy: false, waitingFor: 'the load balancer and its targets (not found yet)' };
  const [healthyCount, total] = String(check.summary.healthyTargets).split('/').map(Number);
  const http = check.summary.http;
  const targetsHealthy = total! > 0 && healthyCount === total;
  if (targetsHealthy && http === 200) return { healthy: true };
  // As for deploy: against an emulator whose load balancers resolve nowhere (moto), healthy targets are the proof.
  if (targetsHealthy && http === 'skipped') {
    const why = check.rows.find((row) => row.state === 'skipped')?.detail;
    return { healthy: true, httpSkipped: why ?? 'the URL cannot be reached from here' };
  }
  const notHealthy = check.rows
    .filter((row) => row.name === 'target' && row.state !== 'healthy')
    .map((row) => `${row.id} ${row.state}${row.detail ? ` (${row.detail})` : ''}`);
  const parts = [
    `targets ${check.summary.healthyTargets} healthy${notHealthy.length ? `: ${notHealthy.join(', ')}` : ''}`,
    `HTTP ${http ?? 'no answer'}`,
  ];
  return { healthy: false, waitingFor: parts.join('; ') };
}
