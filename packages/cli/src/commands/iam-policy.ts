import { SiteCommand } from '../base-command.js';
import { awsFlags, configFlags } from '../flags.js';

export default class IamPolicy extends SiteCommand {
  static override summary = 'Print the least-privilege IAM policy for this site and the installed plugins.';
  static override description = `Built from the IAM actions every installed plugin's resources declare, third-party plugins included, and narrowed to this site where AWS allows it: new resources only with the tag site:name=<name>, changes only to resources carrying it (or, where AWS documents no tag condition, only to the load balancer and target group named after the site), tags only while creating, look-ups only in the site's region.

Reads the configuration for the site name and region; makes no AWS call and needs no credentials. Prints the policy document; --json puts it in the envelope with the resources that need each action.`;
  static override examples = [
    '<%= config.bin %> iam-policy > site-policy.json',
    'aws iam create-policy --policy-name site-barista-cafe --policy-document "$(<%= config.bin %> iam-policy)"',
    '<%= config.bin %> iam-policy --config deploy/site.config.yaml --region eu-west-1 --json',
  ];
  static override flags = { ...configFlags, region: awsFlags.region };

  async run() {
    const { flags } = await this.parse(IamPolicy);
    const { openSession } = await import('../command-session.js');
    const { buildIamPolicy } = await import('@site-cli/core');
    const session = await openSession(this, { config: flags.config, region: flags.region, json: flags.json });
    try {
      const result = buildIamPolicy(session.config, session.resources);
      if (!this.jsonEnabled()) this.log(JSON.stringify(result.policy, null, 2));
      return result;
    } finally {
      await session.close();
    }
  }
}
