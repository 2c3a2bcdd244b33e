import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';
import { renderStatus, verboseFlag } from '../render.js';

export default class Status extends SiteCommand {
  static override summary =
    'Every resource of the site with its state, the URL, target health and an HTTP check.';
  static override examples = ['<%= config.bin %> status --sandbox', '<%= config.bin %> status --json'];
  static override flags = { ...awsFlags, ...verboseFlag };

  async run() {
    const { flags } = await this.parse(Status);
    const { openSession } = await import('../command-session.js');
    const { findString } = await import('@site-cli/core');
    const session = await openSession(this, flags);
    try {
      const groups = await session.status();
      const url = findString(
        groups.map((group) => group.summary),
        'url',
      );
      if (!this.jsonEnabled()) {
        this.log(await renderStatus(groups, { verbose: flags.verbose }));
        this.log(url ? `\nURL: ${url}` : '\nThe site has no URL yet: run `site deploy`.');
      }
      return { site: session.config.name, region: session.config.region, url, resources: groups };
    } finally {
      await session.close();
    }
  }
}
