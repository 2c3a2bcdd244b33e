import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';

export default class Status extends SiteCommand {
  static override summary =
    'Every resource of the site with its state, the URL, target health and an HTTP check.';
  static override examples = ['<%= config.bin %> status --sandbox', '<%= config.bin %> status --json'];
  static override flags = { ...awsFlags };

  async run() {
    const { flags } = await this.parse(Status);
    const { openSession } = await import('../session.js');
    const { table } = await import('@site-cli/core');
    const session = await openSession(this, flags);
    try {
      const groups = await session.status();
      const rows = groups.flatMap(({ resourceId, rows }) =>
        rows.map((row) => ({ resource: resourceId, ...row })),
      );
      const url = rows.find((row) => typeof (row as { url?: unknown }).url === 'string') as
        { url?: string } | undefined;
      if (!this.jsonEnabled()) this.log(table(rows, ['resource', 'name', 'id', 'state', 'detail']));
      return { site: session.config.name, region: session.config.region, url: url?.url, resources: groups };
    } finally {
      await session.close();
    }
  }
}
