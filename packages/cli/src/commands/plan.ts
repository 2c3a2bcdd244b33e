import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';

/** Exit code of `site plan` when changes are pending (0 when there are none). */
export const PLAN_CHANGES_PENDING = 3;

export default class Plan extends SiteCommand {
  static override summary = 'Show what deploy would create, keep, update, replace or delete, and why.';
  static override description = `Discovers what exists by this site's tags (a few batched describe calls) and compares it with the configuration. Changes nothing.

Exit codes: 0 no changes pending, ${PLAN_CHANGES_PENDING} changes pending, 1 failure, 2 bad input.`;
  static override examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --sandbox --json'];
  static override flags = { ...awsFlags };

  async run() {
    const { flags } = await this.parse(Plan);
    const { openSession } = await import('../command-session.js');
    const { plan, summarizePlan } = await import('@site-cli/core');
    const { renderPlan } = await import('../render.js');
    const session = await openSession(this, flags);
    try {
      const summary = summarizePlan(await plan(session, 'deploy'));
      if (!this.jsonEnabled()) this.log(renderPlan(summary));
      if (summary.hasChanges) process.exitCode = PLAN_CHANGES_PENDING;
      return summary;
    } finally {
      await session.close();
    }
  }

  protected override toSuccessJson(result: unknown): unknown {
    return { ...(super.toSuccessJson(result) as object), status: process.exitCode ?? 0 };
  }
}
