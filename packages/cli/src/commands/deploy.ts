import { Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';
import { awsFlags, sourceFlag } from '../flags.js';
import { renderDeployResult, renderPlan, verboseFlag } from '../render.js';

export default class Deploy extends SiteCommand {
  static override summary = 'Create or update the site until its URL answers.';
  static override description = `Shows the plan, asks before changing anything (unless --yes), then runs the resource graph with full concurrency: key pair, security groups, AMI lookup and target group at once; instances and load balancer in parallel. Done when the instances run, the load balancer is active, the targets are healthy and an HTTP GET through the load balancer returns 200.

Re-running it on a deployed site changes nothing. A changed template, source or instance type replaces the instances without downtime.`;
  static override examples = [
    '<%= config.bin %> deploy --sandbox',
    '<%= config.bin %> deploy --yes --json',
    '<%= config.bin %> deploy --region eu-west-1 --no-wait',
  ];
  static override flags = {
    ...awsFlags,
    ...sourceFlag,
    ...verboseFlag,
    yes: Flags.boolean({ char: 'y', summary: 'Apply without asking.', default: false }),
    wait: Flags.boolean({
      summary: 'Wait until targets are healthy and the URL answers 200 (--no-wait skips those two).',
      default: true,
      allowNo: true,
    }),
  };

  async run() {
    const { flags } = await this.parse(Deploy);
    const { openSession } = await import('../command-session.js');
    const { confirmer } = await import('../confirm.js');
    const { deploy, estimatePlan, summarizePlan } = await import('@site-cli/core');
    const { renderPlanEstimate } = await import('../render-cost.js');
    const session = await openSession(this, flags);
    try {
      let estimate: Awaited<ReturnType<typeof estimatePlan>> | undefined;
      const result = await deploy(session, {
        noWait: !flags.wait,
        onPlan: async (plan) => {
          const context = session.contextFor(new Map(plan.found));
          estimate = await estimatePlan(plan, {
            dataDir: this.config.dataDir,
            region: session.config.region,
            resources: session.registry.resources,
            context: () => context,
          });
          if (!this.jsonEnabled())
            this.logToStderr(`${renderPlan(summarizePlan(plan))}\n${await renderPlanEstimate(estimate)}\n`);
        },
        confirm: confirmer({ yes: flags.yes, session, command: 'deploy', question: 'Apply these changes?' }),
      });
      if (!this.jsonEnabled()) this.log(await renderDeployResult(result, { verbose: flags.verbose }));
      if (session.sandbox && result.url)
        return { ...result, estimate, preview: await this.preview(session, result.url) };
      return { ...result, estimate };
    } finally {
      await session.close();
    }
  }

  /**
   * How to see the sandbox's site in a browser: the loopback URL while a `site sandbox start` serves it,
   * else `site open --sandbox` (this run's simulator stops with it). Said in one line on stderr.
   */
  private async preview(
    session: Parameters<typeof import('@site-cli/core').sandboxBrowserUrl>[0],
    url: string,
  ): Promise<{ url?: string; command: string }> {
    const [{ runningSandbox }, { sandboxBrowserUrl }] = await Promise.all([
      import('../sandbox.js'),
      import('@site-cli/core'),
    ]);
    const command = 'site open --sandbox';
    const running = await runningSandbox(this.config.dataDir);
    const browserUrl = running ? await sandboxBrowserUrl(session, url).catch(() => undefined) : undefined;
    if (!this.jsonEnabled())
      this.logToStderr(
        browserUrl
          ? `Preview: ${browserUrl} (served by \`site sandbox start\`, pid ${running?.pid}); \`${command}\` opens it.`
          : `Preview: run \`${command}\` to serve the site on loopback and open it in a browser.`,
      );
    return browserUrl ? { url: browserUrl, command } : { command };
  }
}
