import { Flags } from '@oclif/core';
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
  static override flags = {
    ...configFlags,
    region: awsFlags.region,
    part: Flags.integer({
      min: 1,
      description:
        'Print only this part of a policy too large for one managed policy (IAM: 6,144 characters): create one managed policy per part and attach them all.',
    }),
  };

  async run() {
    const { flags } = await this.parse(IamPolicy);
    const { openSession } = await import('../command-session.js');
    const { buildIamPolicy } = await import('@site-cli/core');
    const session = await openSession(this, { config: flags.config, region: flags.region, json: flags.json });
    try {
      const result = buildIamPolicy(session.config, session.resources);
      const parts = result.parts ?? [result.policy];
      if (flags.part !== undefined && flags.part > parts.length)
        this.error(
          `--part ${flags.part}: this policy has ${parts.length} part${parts.length > 1 ? 's' : ''}.`,
          {
            exit: 2,
            code: 'NO_SUCH_PART',
            suggestions: [`Use --part 1${parts.length > 1 ? ` to --part ${parts.length}` : ''}.`],
          },
        );
      if (result.parts && flags.part === undefined)
        this.note(
          `This policy is ${result.size} characters; one managed policy holds 6,144 (IAM quotas). Create ${result.parts.length} managed policies from \`${this.config.bin} iam-policy --part 1\` to \`--part ${result.parts.length}\` and attach them all (or attach it whole as a role's inline policy, which holds 10,240).`,
        );
      const document = flags.part === undefined ? result.policy : parts[flags.part - 1]!;
      if (!this.jsonEnabled()) this.log(JSON.stringify(document, null, 2));
      return flags.part === undefined ? result : { ...result, part: flags.part, policy: document };
    } finally {
      await session.close();
    }
  }
}
