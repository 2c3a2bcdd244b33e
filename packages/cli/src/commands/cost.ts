import { Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';

export default class Cost extends SiteCommand {
  static override summary = 'What the deployed site costs a month, itemised, from AWS Price List prices.';
  static override description = `Each line is rate × quantity: the instances by type (730 hours a month), their root volumes (GB-months), the load balancer's hours and its capacity units (an assumption, said so), the public IPv4 addresses; the total is the sum of the lines. On-demand prices, without data transfer or taxes; the date of the prices is printed beside them.

Prices come from a snapshot of the AWS Price List: your own, written by --refresh in site's data directory, else the one shipped with site. --refresh reads the region's prices from the Price List Query API (GetProducts on its us-east-1 endpoint); it needs AWS credentials allowed pricing:GetProducts.`;
  static override examples = [
    '<%= config.bin %> cost',
    '<%= config.bin %> cost --json',
    "<%= config.bin %> cost --refresh --region eu-west-1   # fetch that region's prices first",
  ];
  static override flags = {
    ...awsFlags,
    refresh: Flags.boolean({
      summary: "Fetch the region's prices from the AWS Price List Query API first, into your price snapshot.",
      default: false,
    }),
  };

  async run() {
    const { flags } = await this.parse(Cost);
    if (flags.refresh && flags.sandbox) {
      const { ExitCode, SiteError } = await import('@site-cli/core');
      throw new SiteError({
        code: 'PRICING_NOT_IN_SANDBOX',
        message:
          "The sandbox does not simulate the AWS Price List Query API: --refresh reads AWS's own prices, with real AWS credentials.",
        suggestions: [
          'Run `site cost --refresh` without --sandbox (the prices are the same for every account), then `site cost --sandbox`.',
        ],
        exitCode: ExitCode.usage,
        details: { flag: '--refresh' },
      });
    }
    const { openSession } = await import('../command-session.js');
    const { siteCost } = await import('@site-cli/core');
    const { renderCost } = await import('../render-cost.js');
    const session = await openSession(this, flags);
    try {
      const result = await siteCost(session, { dataDir: this.config.dataDir, refresh: flags.refresh });
      if (result.unpriced.length > 0)
        session.log.warn(
          `No price in the snapshot for ${result.unpriced.join('; ')}: left out of the total. Run \`site cost --refresh\`.`,
        );
      if (!this.jsonEnabled()) this.log(await renderCost(result));
      return result;
    } finally {
      await session.close();
    }
  }
}
