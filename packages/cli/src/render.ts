import type { PlanSummary } from '@site-cli/core';

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
