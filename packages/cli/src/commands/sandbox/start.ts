import { Flags } from '@oclif/core';
import { SiteCommand } from '../../base-command.js';

export default class SandboxStart extends SiteCommand {
  static override summary =
    'Run the AWS simulator in the foreground; --sandbox commands use it until Ctrl-C.';
  static override description =
    'One per data directory: a second start is refused, naming the running one. Its state is the same file the --sandbox commands use.';
  static override examples = [
    '<%= config.bin %> sandbox start',
    'AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:4566 ec2 describe-vpcs',
  ];
  static override flags = {
    port: Flags.integer({ summary: 'Port on 127.0.0.1 (0 picks a free one).', default: 0 }),
    profile: Flags.string({ summary: 'Latency profile.', options: ['fast', 'realistic'], default: 'fast' }),
    'time-scale': Flags.string({ summary: 'Multiply every latency of the profile.', default: '1' }),
    region: Flags.string({
      summary: 'Region of the simulated account (default: the one its state holds, else us-east-1).',
    }),
  };

  async run() {
    const { flags } = await this.parse(SandboxStart);
    const { sandboxPaths, claimSandbox, recordSandboxEndpoint, forgetSandboxEndpoint } =
      await import('../../sandbox.js');
    const paths = sandboxPaths(this.config.dataDir);
    const { readFile } = await import('node:fs/promises');
    const held = await readFile(paths.state, 'utf8')
      .then((text) => (JSON.parse(text) as { region?: string }).region)
      .catch(() => undefined);
    if (flags.region && held && flags.region !== held) {
      const { SiteError, ExitCode } = await import('@site-cli/core');
      throw new SiteError({
        code: 'SANDBOX_REGION_MISMATCH',
        message: `--region ${flags.region}: the sandbox's state (${paths.state}) simulates ${held}; it would not answer for ${flags.region}.`,
        suggestions: [
          `Drop --region (or use --region ${held}) to run it as it is.`,
          `Or run \`site sandbox reset\` first: the sandbox then starts empty in ${flags.region}.`,
        ],
        exitCode: ExitCode.usage,
      });
    }
    // Listening before the claim: a Ctrl-C while it starts stops it with its document, not the generic exit 130.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await claimSandbox(this.config.dataDir);
    try {
      const { startSimulator } = await import('@site-cli/aws-sim');
      const simulator = await startSimulator({
        port: flags.port,
        profile: flags.profile as 'fast' | 'realistic',
        timeScale: Number(flags['time-scale']),
        region: flags.region ?? held ?? 'us-east-1',
        stateFile: paths.state,
      });
      await recordSandboxEndpoint(this.config.dataDir, simulator.endpoint);
      this.log(
        `Sandbox running at ${simulator.endpoint} (pid ${process.pid}, state: ${paths.state}). Press Ctrl-C to stop.`,
      );
      await stopped;
      await simulator.stop();
      return { endpoint: simulator.endpoint, state: paths.state };
    } finally {
      await forgetSandboxEndpoint(this.config.dataDir);
    }
  }
}
