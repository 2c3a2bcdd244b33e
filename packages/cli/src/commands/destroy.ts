import { Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';
import { renderDestroyResult, renderPlan, verboseFlag } from '../render.js';

export default class Destroy extends SiteCommand {
  static override summary = 'Delete everything of the site, dependants first, and show that nothing is left.';
  static override description = `Only resources carrying this site's tags are touched: a same-named resource without them is never deleted. Listener, load balancer (until gone), target group, instances (until terminated), security groups once nothing uses them, then the key pair and its .pem.`;
  static override examples = [
    '<%= config.bin %> destroy --sandbox',
    '<%= config.bin %> destroy --yes --keep-key',
  ];
  static override flags = {
    ...awsFlags,
    ...verboseFlag,
    yes: Flags.boolean({ char: 'y', summary: 'Delete without asking.', default: false }),
    'keep-key': Flags.boolean({ summary: 'Keep the key pair and its .pem file.', default: false }),
  };

  async run() {
    const { flags } = await this.parse(Destroy);
    const { openSession } = await import('../command-session.js');
    const { confirmer } = await import('../confirm.js');
    const { destroy, summarizePlan, SiteError } = await import('@site-cli/core');
    const session = await openSession(this, flags);
    try {
      const result = await destroy(session, {
        keep: flags['keep-key'] ? ['keypair.key-pair'] : [],
        onPlan: (plan) => {
          if (!this.jsonEnabled()) this.logToStderr(renderPlan(summarizePlan(plan)) + '\n');
        },
        confirm: confirmer({
          yes: flags.yes,
          session,
          command: 'destroy',
          question: `Delete every resource of ${session.config.name}?`,
        }),
      });
      if (!this.jsonEnabled())
        this.log(renderDestroyResult(result, session.config.name, { verbose: flags.verbose }));
      if (result.remaining.length > 0) {
        throw new SiteError({
          code: 'DESTROY_INCOMPLETE',
          message: `Some resources are still present: ${result.remaining.join(', ')}.`,
          suggestions: ['Run `site destroy` again.'],
        });
      }
      return result;
    } finally {
      await session.close();
    }
  }
}
