/**
 * The resource graph a plan runs, drawn: one node per resource with its planned action, grouped by the plugin
 * that contributes it, an arrow from each dependency to what waits for it (the order deploy follows). Mermaid
 * renders on GitHub as it is; DOT goes to Graphviz (`dot -Tsvg`).
 */
export type GraphFormat = 'mermaid' | 'dot';

export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

export interface GraphStep {
  resourceId: string;
  title: string;
  plugin: string;
  dependsOn: readonly string[];
  action: string;
}

/** Colours by action, the same in both formats: green adds, amber changes, red removes, grey leaves alone. */
const ACTION_STYLE: Record<string, { fill: string; stroke: string }> = {
  create: { fill: '#dcfce7', stroke: '#16a34a' },
  update: { fill: '#fef9c3', stroke: '#ca8a04' },
  replace: { fill: '#ffedd5', stroke: '#ea580c' },
  delete: { fill: '#fee2e2', stroke: '#dc2626' },
  keep: { fill: '#f3f4f6', stroke: '#6b7280' },
  read: { fill: '#e0f2fe', stroke: '#0284c7' },
  verify: { fill: '#ede9fe', stroke: '#7c3aed' },
  absent: { fill: '#ffffff', stroke: '#9ca3af' },
};

/** A node id both formats accept: letters, digits and underscores only. */
const nodeId = (resourceId: string) => resourceId.replace(/[^A-Za-z0-9]/g, '_');

function byPlugin(steps: readonly GraphStep[]): Map<string, GraphStep[]> {
  const groups = new Map<string, GraphStep[]>();
  for (const step of steps) groups.set(step.plugin, [...(groups.get(step.plugin) ?? []), step]);
  return groups;
}

/** Only edges between resources of this plan (a dependency no plugin provides never gets this far). */
function edges(steps: readonly GraphStep[]): [string, string][] {
  const ids = new Set(steps.map((step) => step.resourceId));
  return steps.flatMap((step) =>
    step.dependsOn
      .filter((dependency) => ids.has(dependency))
      .map((dependency): [string, string] => [dependency, step.resourceId]),
  );
}

function mermaid(steps: readonly GraphStep[]): string {
  const quote = (text: string) => text.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const [plugin, members] of byPlugin(steps)) {
    lines.push(`  subgraph ${nodeId(`plugin ${plugin}`)}["${quote(plugin)}"]`);
    for (const step of members) {
      lines.push(
        `    ${nodeId(step.resourceId)}["${quote(step.title)}<br/>${step.resourceId}<br/><b>${step.action}</b>"]`,
      );
    }
    lines.push('  end');
  }
  for (const [from, to] of edges(steps)) lines.push(`  ${nodeId(from)} --> ${nodeId(to)}`);
  const actions = [...new Set(steps.map((step) => step.action))];
  for (const action of actions) {
    const style = ACTION_STYLE[action] ?? ACTION_STYLE.keep!;
    lines.push(`  classDef ${action} fill:${style.fill},stroke:${style.stroke}`);
    const members = steps.filter((step) => step.action === action).map((step) => nodeId(step.resourceId));
    lines.push(`  class ${members.join(',')} ${action}`);
  }
  return `${lines.join('\n')}\n`;
}

function dot(steps: readonly GraphStep[]): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    'digraph plan {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
  ];
  for (const [plugin, members] of byPlugin(steps)) {
    lines.push(`  subgraph ${quote(`cluster_${plugin}`)} {`, `    label=${quote(plugin)};`);
    for (const step of members) {
      const style = ACTION_STYLE[step.action] ?? ACTION_STYLE.keep!;
      const label = `${step.title}\\n${step.resourceId}\\n${step.action}`;
      lines.push(
        `    ${nodeId(step.resourceId)} [label="${label.replace(/"/g, '\\"')}", fillcolor=${quote(style.fill)}, color=${quote(style.stroke)}];`,
      );
    }
    lines.push('  }');
  }
  for (const [from, to] of edges(steps)) lines.push(`  ${nodeId(from)} -> ${nodeId(to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The plan's graph as Mermaid or DOT text. */
export function renderPlanGraph(steps: readonly GraphStep[], format: GraphFormat): string {
  return format === 'dot' ? dot(steps) : mermaid(steps);
}
