import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';
import { renderStatus, verboseFlag } from '../render.js';
import { watchDurations, watchFlags } from '../watch/flags.js';

export default class Status extends SiteCommand {
  static override summary =
    'Every resource of the site with its state, the URL, target health and an HTTP check.';
  static override description =
    'With --watch it refreshes until Ctrl-C, which ends a watch with exit 0: on a terminal the table is redrawn in place, elsewhere (a pipe, CI, SITE_RENDERER=simple) the table is printed once and then one line per change, naming the resource. --until healthy ends it when every target is healthy and the URL answers 200 (exit 0), or after --timeout (exit 1). With --json: one document at the end, the last status and every change seen.';
  static override examples = [
    '<%= config.bin %> status --sandbox',
    '<%= config.bin %> status --json',
    '<%= config.bin %> status --watch',
    '<%= config.bin %> deploy --yes --no-wait && <%= config.bin %> status --watch --until healthy --timeout 15m',
    '<%= config.bin %> status --watch --interval 10s | tee status.log',
  ];
  static override flags = { ...awsFlags, ...verboseFlag, ...watchFlags };

  async run() {
    const { flags } = await this.parse(Status);
    // Checked before the session opens: a bad duration touches nothing.
    const durations = await watchDurations(flags);
    const { openSession } = await import('../command-session.js');
    const { findString } = await import('@site-cli/core');
    // Status takes no lock: one session serves every refresh of a watch.
    const session = await openSession(this, flags);
    try {
      const describe = (groups: Awaited<ReturnType<typeof session.status>>) => ({
        site: session.config.name,
        region: session.config.region,
        url: findString(
          groups.map((group) => group.summary),
          'url',
        ),
        resources: groups,
      });
      const urlLine = (url: string | undefined) =>
        url ? `\nURL: ${url}` : '\nThe site has no URL yet: run `site deploy`.';
      if (!flags.watch) {
        const result = describe(await session.status());
        if (!this.jsonEnabled()) {
          this.log(await renderStatus(result.resources, { verbose: flags.verbose }));
          this.log(urlLine(result.url));
        }
        return result;
      }

      const { watchSiteStatus, warnOnce } = await import('../watch/run.js');
      warnOnce(session.log);
      const outcome = await watchSiteStatus({
        refresh: () => session.status(),
        render: async (groups) =>
          `${await renderStatus(groups, { verbose: flags.verbose })}\n${urlLine(describe(groups).url)}`,
        json: this.jsonEnabled(),
        ...durations,
        until: flags.until as 'healthy' | undefined,
        site: session.config.name,
        out: (text) => this.log(text),
        err: (text) => this.logToStderr(text),
      });
      return { ...describe(outcome.last), watch: outcome.watch };
    } finally {
      await session.close();
    }
  }
}
