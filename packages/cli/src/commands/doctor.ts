import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';

/** Exit code of `site doctor` when a check fails (warnings alone exit 0). */
export const DOCTOR_FAILED = 1;

export default class Doctor extends SiteCommand {
  static override summary = 'Check your setup and the site: each check passes, warns or fails, with its fix.';
  static override description = `Credentials and the identity they resolve to, the region, the local clock against AWS's, resources changed outside site (drift), and the checks of each plugin: the SSH rule against your current public IP (network), the .pem present, mode 0400 and the key pair's own (keypair). Changes nothing.

Exit codes: 0 nothing failed (warnings allowed), ${DOCTOR_FAILED} a check failed, 2 bad input.`;
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --sandbox --json',
    '<%= config.bin %> doctor --profile work --region eu-west-1',
  ];
  static override flags = { ...awsFlags };

  async run() {
    const { flags } = await this.parse(Doctor);
    const { openSession } = await import('../command-session.js');
    const { runDoctor } = await import('@site-cli/core');
    const { renderDoctor } = await import('../render-doctor.js');
    const session = await openSession(this, flags);
    try {
      const report = await runDoctor(session, { commandLine: (command) => this.commandLine(command, flags) });
      if (!this.jsonEnabled()) this.log(renderDoctor(report));
      if (report.failed) process.exitCode = DOCTOR_FAILED;
      return report;
    } finally {
      await session.close();
    }
  }

  /** `site <command>` with the flags of this run that choose the site and the account, as typed. */
  private commandLine(command: string, flags: Record<string, unknown>): string {
    const parts = [this.config.bin, command];
    if (flags.sandbox) parts.push('--sandbox');
    for (const name of ['config', 'region', 'profile', 'endpoint-url', 'key-dir']) {
      const value = flags[name];
      if (typeof value === 'string')
        parts.push(`--${name}`, /^[\w./:@-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);
    }
    return parts.join(' ');
  }

  protected override toSuccessJson(result: unknown): unknown {
    return { ...(super.toSuccessJson(result) as object), status: process.exitCode ?? 0 };
  }
}
