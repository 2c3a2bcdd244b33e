import { Flags } from '@oclif/core';
import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';

export interface RollbackResult {
  from?: string;
  to: string;
  /** Each target's version as read through the load balancer at the end (absent with --no-wait). */
  targets?: { instanceId: string; version?: string }[];
}

export default class Rollback extends SiteCommand {
  static override summary = 'Serve the previous release of a source.dir site again, switched in place.';
  static override description =
    "Rewrites the bucket's pointer (current.json) to the release before the current one (or --to VERSION, one of " +
    'the last `storage.keep`), then waits until every target, read through the load balancer, serves it. No ' +
    'instance is replaced. The next `site deploy` publishes your folder again.';
  static override examples = [
    '<%= config.bin %> rollback',
    '<%= config.bin %> rollback --to 3f9a1c2b7d4e',
    '<%= config.bin %> rollback --sandbox --json',
  ];
  static override flags = {
    ...awsFlags,
    to: Flags.string({
      summary:
        'The version to serve (see `site status`): 12 hex digits, one of the releases the bucket keeps.',
      helpValue: 'VERSION',
    }),
    wait: Flags.boolean({
      summary: 'Wait until every target serves it (--no-wait returns once the pointer is written).',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<RollbackResult> {
    const { flags } = await this.parse(Rollback);
    const core = await this.siteCore();
    const usage = (message: string, suggestions: string[]) =>
      core.createError({ code: 'ROLLBACK_INVALID', message, suggestions, exitCode: core.ExitCode.usage });
    if (flags.to !== undefined && !/^[0-9a-f]{12}$/.test(flags.to))
      throw usage(`--to ${flags.to} is not a version: versions are 12 hex digits, such as 3f9a1c2b7d4e.`, [
        'Run `site status` to see the current version and `site rollback` to go back one.',
      ]);
    const session = await this.openSession(flags);
    try {
      if (!session.config.source?.dir)
        throw usage(
          `Site ${session.config.name} has no source.dir: only a folder source keeps releases to roll back to.`,
          ['Set source.dir in the config (or pass --config for the site that has it).'],
        );
      // Rewriting the pointer changes the site: hold the site's lock like deploy does (where the CLI offers it).
      await (session as unknown as { lock?: () => Promise<void> }).lock?.();
      const found = await session.discover([
        'storage.content',
        'alb.targets',
        'alb.load-balancer',
        'alb.listener',
      ]);
      const content = found.get('storage.content');
      if (!content?.current)
        throw usage(`Site ${session.config.name} has no content release yet: nothing to roll back.`, [
          'Run `site deploy` first.',
        ]);
      const { makeCurrent, readHistory } = await import('../releases.js');
      const { storageSettings } = await import('../settings.js');
      const ctx = session.context(found);
      const history = await readHistory(ctx, content.bucketName);
      const kept = new Set(content.releases.map((release) => release.version));
      const available = history.filter((entry) => kept.has(entry.version));
      const current = content.current.version;
      const target =
        flags.to !== undefined
          ? available.find((entry) => entry.version === flags.to)
          : available.find((entry) => entry.version !== current);
      if (!target)
        throw usage(
          flags.to !== undefined
            ? `Version ${flags.to} is not among the releases the bucket keeps (${available.map((e) => e.version).join(', ') || 'none'}).`
            : `Version ${current} is the only release the bucket keeps: there is nothing earlier to serve.`,
          ['Run `site status` to see the current version; raise storage.keep to keep more releases.'],
        );
      if (target.version === current) {
        this.log(`Version ${current} is already current.`);
        return { from: current, to: current };
      }
      this.logToStderr(`Switching ${session.config.name} from ${current} to ${target.version}…`);
      await makeCurrent(
        ctx,
        content.bucketName,
        { version: target.version, key: target.key, sha256: target.sha256 },
        storageSettings(session.config).keep,
      );
      let targets: RollbackResult['targets'];
      const lb = found.get('alb.load-balancer');
      const registered = found.get('alb.targets');
      if (flags.wait && lb && registered) {
        const port = found.get('alb.listener')?.port ?? session.config.alb.port;
        const url = `http://${lb.dnsName}${port === 80 ? '' : `:${port}`}/`;
        const { waitUntilLive } = await import('../resources/content-live.js');
        targets = (await waitUntilLive(ctx, url, registered.instanceIds, target.version)).targets;
      }
      this.log(
        `Serving ${target.version} (was ${current}).` +
          (flags.wait ? '' : ' The instances switch within seconds.') +
          ' The next `site deploy` publishes your folder again.',
      );
      return { from: current, to: target.version, ...(targets ? { targets } : {}) };
    } finally {
      await session.close();
    }
  }
}
