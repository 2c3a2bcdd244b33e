import { Command } from '@oclif/core';
import type { AwsCommandFlags, PluginApi, Session } from '@site-cli/core/plugin';
import { errorEnvelope, exitCodeOf, successEnvelope } from './envelope.js';
import { siteCore } from './site-core.js';
import { guardStdout, writeDocument } from './stdout-guard.js';

type Presentable = Error & { exitCode?: number; oclif?: { exit?: number } };

/**
 * The base of every site command, the CLI's and the plugins': --json prints one document, the envelope
 * `{status, result, warnings}` or `{status, error: {code, message, suggestions}, warnings}`, and nothing else
 * reaches stdout; errors are presented as the CLI presents its own (AWS errors translated), and the process
 * exits with the documented code.
 */
export abstract class SiteCommand extends Command {
  static override enableJsonFlag = true;
  /** Marks commands that print the envelope themselves (the CLI wraps every other command's --json). */
  static readonly siteEnvelope = true;

  /** Warnings of this run, returned with --json. */
  protected readonly warnings: string[] = [];
  /** Loggers whose warnings (from resources and the core) also go into the --json envelope. */
  private readonly logs: { readonly warnings?: readonly string[] }[] = [];

  /** Return this logger's warnings with --json too (they are printed on stderr as they happen). */
  collectWarnings(log: { readonly warnings?: readonly string[] }): void {
    this.logs.push(log);
  }

  /** A warning: shown on stderr, and returned in the --json envelope. */
  protected note(message: string): void {
    this.warnings.push(message);
    if (!this.jsonEnabled()) this.logToStderr(`Warning: ${message}`);
  }

  /** The core's plugin API, from the CLI this command runs in. */
  protected siteCore(): Promise<PluginApi> {
    return siteCore(this.config);
  }

  /** Load the configuration and open AWS (or the sandbox) for this command. Always close it. */
  protected async openSession(flags: AwsCommandFlags): Promise<Session> {
    const core = await this.siteCore();
    const session = await core.openSession({ config: this.config, id: this.id }, flags);
    this.collectWarnings(session.log);
    return session;
  }

  override async init(): Promise<void> {
    await super.init();
    if (this.jsonEnabled()) guardStdout();
  }

  protected allWarnings(): string[] {
    return [...new Set([...this.warnings, ...this.logs.flatMap((log) => log.warnings ?? [])])];
  }

  protected override logJson(json: unknown): void {
    writeDocument(JSON.stringify(json, null, 2));
  }

  protected override toSuccessJson(result: unknown): unknown {
    return successEnvelope(result, this.allWarnings());
  }

  protected override toErrorJson(error: unknown): unknown {
    return errorEnvelope(error, this.allWarnings(), this.id?.replaceAll(':', ' '));
  }

  /** The error as the user sees it: the CLI's presentation (AWS errors translated, causes folded). */
  protected async present(error: Error): Promise<Error> {
    try {
      const core = await this.siteCore();
      return ((await core.presentError?.(error)) as Error | undefined) ?? error;
    } catch {
      return error;
    }
  }

  protected override async catch(error: Error): Promise<unknown> {
    const presented = (await this.present(error)) as Presentable;
    const exit = exitCodeOf(presented);
    // oclif exits with err.oclif.exit, or (with --json) process.exitCode: both follow the documented table.
    if (presented instanceof Error) presented.oclif = { ...presented.oclif, exit };
    process.exitCode = exit;
    return super.catch(presented);
  }
}
