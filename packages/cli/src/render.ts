import { Flags } from '@oclif/core';
import type { DeployResult, DestroyResult, PlanSummary, StatusRow } from '@site-cli/core';

/** --verbose of deploy, status and destroy: what the short tables leave out. */
export const verboseFlag = {
  verbose: Flags.boolean({
    summary: 'Show full ARNs and every value of each resource (--json always has them).',
    default: false,
  }),
};

const SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  replace: '±',
  delete: '-',
  keep: '=',
  read: '?',
  verify: '✓',
  absent: ' ',
};

/** The plan as people read it: one line per resource, what will happen and why. */
export function renderPlan(plan: PlanSummary): string {
  const width = Math.max(...plan.steps.map((s) => s.resourceId.length), 8);
  const lines = plan.steps.map(
    (s) => `  ${SYMBOL[s.action] ?? ' '} ${s.action.padEnd(7)} ${s.resourceId.padEnd(width)}  ${s.reason}`,
  );
  const counted = ['create', 'update', 'replace', 'delete']
    .filter((action) => plan.counts[action])
    .map((action) => `${plan.counts[action]} to ${action}`);
  const footer = plan.hasChanges ? `Plan: ${counted.join(', ')}.` : 'No changes: the site is as configured.';
  return [...lines, '', footer].join('\n');
}

/** The end of a deploy: the URL, the ssh command, a short table of what exists, and what was checked. */
export async function renderDeployResult(
  result: DeployResult,
  options: { verbose: boolean },
): Promise<string> {
  const { table, summaryRow, summaryPhrase } = await import('@site-cli/core');
  const titles = new Map(result.plan.steps.map((step) => [step.resourceId, step.title]));
  const checks = new Set(result.plan.steps.filter((s) => s.action === 'verify').map((s) => s.resourceId));
  const shown = ['url', 'ssh'];
  const lines = [result.changed ? 'Deployed.' : 'No changes: the site is as configured.'];
  if (result.url) lines.push(`URL:  ${result.url}`);
  if (result.ssh) lines.push(`SSH:  ${result.ssh}`);

  const rows = Object.entries(result.resources)
    .filter(([id]) => !checks.has(id))
    .map(([id, summary]) => ({
      ...(options.verbose ? { resource: id } : {}),
      ...summaryRow(titles.get(id) ?? id, summary, { verbose: options.verbose, leaveOut: shown }),
    }));
  const columns = options.verbose ? ['resource', 'what', 'name', 'id', 'detail'] : ['what', 'name', 'id'];
  lines.push('', table(rows, columns));

  for (const id of checks) {
    const title = titles.get(id) ?? id;
    const step = result.steps.find((s) => s.resourceId === id);
    if (step?.status === 'skipped') lines.push(`Not checked: ${title} (${step.reason}).`);
    else if (step?.status === 'done' && result.resources[id])
      lines.push(`Checked: ${title}: ${summaryPhrase(result.resources[id], shown)}.`);
  }
  return lines.join('\n');
}

/** `site status`: one row per status line of each resource; ARNs shortened unless --verbose. */
export async function renderStatus(
  groups: { resourceId: string; title: string; rows: StatusRow[] }[],
  options: { verbose: boolean },
): Promise<string> {
  const { table, shortId, shortenArns } = await import('@site-cli/core');
  const rows = groups.flatMap(({ resourceId, title, rows }) =>
    rows.map((row) =>
      options.verbose
        ? { resource: resourceId, what: title, ...row }
        : {
            what: title,
            name: row.name,
            id: shortId(row.id),
            state: row.state,
            detail: row.detail && shortenArns(row.detail),
          },
    ),
  );
  const columns = ['what', 'name', 'id', 'state', 'detail'];
  return table(rows, options.verbose ? ['resource', ...columns] : columns);
}

/** The end of a destroy: nothing left (or what is), and with --verbose what was deleted. */
export function renderDestroyResult(
  result: DestroyResult,
  site: string,
  options: { verbose: boolean },
): string {
  const titles = new Map(result.plan.steps.map((step) => [step.resourceId, step.title]));
  const named = (ids: string[]) => ids.map((id) => `${titles.get(id) ?? id} (${id})`).join(', ');
  const lines =
    result.remaining.length > 0
      ? [`Still present: ${named(result.remaining)}`]
      : [`Nothing of ${site} is left${result.kept.length ? ` (kept: ${named(result.kept)})` : ''}.`];
  // What the plan deleted, less what AWS still lists afterwards.
  const deleted = result.deleted.filter((id) => !result.remaining.includes(id));
  if (options.verbose && deleted.length > 0) lines.push(`Deleted: ${named(deleted)}.`);
  return lines.join('\n');
}
