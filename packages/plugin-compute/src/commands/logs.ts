import { Flags } from '@oclif/core';
import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';
import type { PluginApi, ResourceContext } from '@site-cli/core/plugin';

/** One instance's setup log, as `site logs --json` returns it. */
export interface InstanceLog {
  instanceId: string;
  instanceType?: string;
  state: string;
  /** When the console output was last written (AWS's Timestamp). */
  time?: string;
  /** The `SITE SETUP FAILED: …` line when the setup failed. */
  failure?: string;
  /** The `SITE SETUP DONE: …` line when it succeeded. */
  done?: string;
  /** The setup script's own lines, oldest first. */
  lines: string[];
}

const FOLLOW_EVERY_MS = 5000;

export default class Logs extends SiteCommand {
  static override summary = "Show each instance's setup log, read from its EC2 console output.";
  static override description =
    "Reads every instance's console output (GetConsoleOutput: the latest output on Nitro instance types, the buffered one on others), picks out the setup script's own lines and shows a failure (SITE SETUP FAILED: …) first. No login and no agent needed. AWS posts the buffered output shortly after an instance starts, so a fresh instance may have none yet.";
  static override examples = [
    '<%= config.bin %> logs',
    '<%= config.bin %> logs --instance i-0123456789abcdef0',
    '<%= config.bin %> logs --follow',
    '<%= config.bin %> logs --json',
  ];
  static override flags = {
    ...awsFlags,
    instance: Flags.string({
      summary: 'Only this instance of the site (default: all of them).',
      helpValue: 'ID',
    }),
    follow: Flags.boolean({
      summary: 'Keep reading and print new lines as they come, until Ctrl-C (exit 130).',
      default: false,
    }),
  };

  async run(): Promise<{ instances: InstanceLog[] }> {
    const { flags } = await this.parse(Logs);
    const core = await this.siteCore();
    if (flags.instance !== undefined && !/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(flags.instance))
      throw usage(core, `--instance ${flags.instance} is not an EC2 instance id.`, [
        "Give an id like i-0123456789abcdef0; `site instance status` lists the site's instances.",
      ]);
    if (flags.follow && flags.json)
      throw usage(
        core,
        '--follow and --json do not go together: --json prints one document, --follow never ends.',
        ['Drop --json to follow, or --follow to get the logs once as JSON.'],
      );
    const session = await this.openSession(flags);
    try {
      const ctx = session.context();
      const logs = await this.read(ctx, flags.instance, core);
      if (!flags.follow) {
        this.print(logs, session.config.name, session.config.region);
        return { instances: logs };
      }
      return await this.follow(ctx, flags.instance, core, logs);
    } finally {
      await session.close();
    }
  }

  private async read(
    ctx: ResourceContext,
    only: string | undefined,
    core: PluginApi,
  ): Promise<InstanceLog[]> {
    const [{ describeSiteInstances }, { toInfo }, { setupLogEntries, parseSetupLog }] = await Promise.all([
      import('../instances/find.js'),
      import('../instances/status.js'),
      import('../instances/setup-log.js'),
    ]);
    const all = (await describeSiteInstances(ctx)).map(toInfo);
    const instances = only === undefined ? all : all.filter((i) => i.instanceId === only);
    if (only !== undefined && instances.length === 0)
      throw usage(
        core,
        `Instance ${only} is not one of site ${ctx.config.name}'s instances in ${ctx.config.region}.`,
        [
          all.length > 0
            ? `The site's instances: ${all.map((i) => i.instanceId).join(', ')}.`
            : 'The site has no instances: run `site deploy` first.',
        ],
      );
    instances.sort((a, b) => (a.index ?? 99) - (b.index ?? 99) || a.instanceId.localeCompare(b.instanceId));
    const entries = await setupLogEntries(await ctx.aws.ec2(), instances);
    return instances.map((info, n) => {
      const entry = entries[n]!;
      const log: InstanceLog = { instanceId: info.instanceId, state: info.state, lines: entry.lines };
      if (info.instanceType) log.instanceType = info.instanceType;
      if (entry.time) log.time = entry.time;
      if (entry.failure) log.failure = entry.failure;
      const done = parseSetupLog(entry.lines.join('\n')).done;
      if (done) log.done = done;
      return log;
    });
  }

  private print(logs: InstanceLog[], site: string, region: string): void {
    if (logs.length === 0) {
      this.log(`No instances found for site ${site} in ${region}. Run \`site deploy\` to create them.`);
      return;
    }
    for (const log of logs) {
      this.log(
        `${log.instanceId} (${[log.instanceType, log.state].filter(Boolean).join(', ')})${log.time ? `, console output of ${log.time}` : ''}:`,
      );
      if (log.failure) this.log(`  ${log.failure}`);
      if (log.lines.length === 0)
        this.log('  no setup lines yet (AWS posts the console output shortly after the instance starts)');
      for (const line of log.lines) this.log(`  | ${line}`);
      this.log('');
    }
  }

  /** Print what is there, then each new line as it comes, until Ctrl-C. */
  private async follow(
    ctx: ResourceContext,
    only: string | undefined,
    core: PluginApi,
    first: InstanceLog[],
  ): Promise<never> {
    const seen = new Map<string, number>();
    const show = (logs: InstanceLog[]) => {
      for (const log of logs) {
        const from = seen.get(log.instanceId) ?? 0;
        // The console keeps its last 64 KB only: when the lines shrank, show them all again.
        const start = log.lines.length < from ? 0 : from;
        for (const line of log.lines.slice(start)) this.log(`${log.instanceId} | ${line}`);
        seen.set(log.instanceId, log.lines.length);
      }
    };
    show(first);
    this.logToStderr(`Following the setup logs every ${FOLLOW_EVERY_MS / 1000} s; Ctrl-C to stop.`);
    for (;;) {
      await sleep(FOLLOW_EVERY_MS, ctx.signal, core);
      show(await this.read(ctx, only, core));
    }
  }
}

function usage(core: PluginApi, message: string, suggestions: string[]) {
  return core.createError({ code: 'INVALID_FLAG', message, suggestions, exitCode: core.ExitCode.usage });
}

/** Wait, or end with the interrupted error (exit 130) when Ctrl-C aborts the session. */
function sleep(ms: number, signal: AbortSignal, core: PluginApi): Promise<void> {
  const interrupted = () =>
    core.createError({
      code: 'INTERRUPTED',
      message: 'Interrupted. Nothing was changed.',
      exitCode: core.ExitCode.interrupted,
    });
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(interrupted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
