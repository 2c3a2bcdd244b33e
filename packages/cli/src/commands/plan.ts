import { Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';
import { awsFlags, sourceFlag } from '../flags.js';
import type { GraphFormat } from '@site-cli/core';

/** Exit code of `site plan` when changes are pending (0 when there are none). */
export const PLAN_CHANGES_PENDING = 3;

export default class Plan extends SiteCommand {
  static override summary = 'Show what deploy would create, keep, update, replace or delete, and why.';
  static override description = `Discovers what exists by this site's tags (a few batched describe calls) and compares it with the configuration. Changes nothing.

Exit codes: 0 no changes pending, ${PLAN_CHANGES_PENDING} changes pending, 1 failure, 2 bad input.`;
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --sandbox --json',
    '<%= config.bin %> plan --graph mermaid > plan.mmd   # the resource graph with each planned action',
    '<%= config.bin %> plan --graph dot | dot -Tsvg > plan.svg',
  ];
  static override flags = {
    ...awsFlags,
    ...sourceFlag,
    graph: Flags.string({
      summary:
        'Print the resource graph deploy would run, each node with its planned action, as Mermaid or DOT.',
      description:
        'Nodes are grouped by the plugin that contributes them (installed plugins too); an arrow runs from a resource to what waits for it. The plan itself then goes to stderr. Mermaid renders on GitHub as it is; DOT goes to Graphviz.',
      options: ['mermaid', 'dot'],
    }),
  };

  async run() {
    const { flags } = await this.parse(Plan);
    const { openSession } = await import('../command-session.js');
    const { estimatePlan, plan, renderPlanGraph, summarizePlan } = await import('@site-cli/core');
    const { renderPlan } = await import('../render.js');
    const { renderPlanEstimate } = await import('../render-cost.js');
    const session = await openSession(this, flags);
    try {
      const planned = await plan(session, 'deploy');
      const summary = summarizePlan(planned);
      const context = session.contextFor(new Map(planned.found));
      const estimate = await estimatePlan(planned, {
        dataDir: this.config.dataDir,
        region: session.config.region,
        resources: session.registry.resources,
        context: () => context,
      });
      const format = flags.graph as GraphFormat | undefined;
      const graph = format ? renderPlanGraph(summary.steps, format) : undefined;
      if (!this.jsonEnabled()) {
        const text = `${renderPlan(summary)}\n${await renderPlanEstimate(estimate)}`;
        // With --graph, stdout holds the graph alone (to pipe into a file or Graphviz); the plan goes beside it.
        if (graph) process.stderr.write(`${text}\n`);
        this.log(graph?.trimEnd() ?? text);
      }
      if (summary.hasChanges) process.exitCode = PLAN_CHANGES_PENDING;
      const result = { ...summary, estimate };
      return graph ? { ...result, graph: { format, text: graph } } : result;
    } finally {
      await session.close();
    }
  }

  protected override toSuccessJson(result: unknown): unknown {
    return { ...(super.toSuccessJson(result) as object), status: process.exitCode ?? 0 };
  }
}
