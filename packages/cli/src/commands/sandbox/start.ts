import { Flags } from '@oclif/core';
import { SiteCommand } from '../../base-command.js';

export default class SandboxStart extends SiteCommand {
  static override summary =
    'Run the AWS simulator in the foreground; --sandbox commands use it until Ctrl-C.';
  static override examples = [
    '<%= config.bin %> sandbox start',
    'AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:4566 ec2 describe-vpcs',
  ];
  static override flags = {
    port: Flags.integer({ summary: 'Port on 127.0.0.1 (0 picks a free one).', default: 0 }),
    profile: Flags.string({ summary: 'Latency profile.', options: ['fast', 'realistic'], default: 'fast' }),
    'time-scale': Flags.string({ summary: 'Multiply every latency of the profile.', default: '1' }),
    region: Flags.string({ summary: 'Region of the simulated account.', default: 'us-east-1' }),
  };

  async run() {
    const { flags } = await this.parse(SandboxStart);
    const { startSimulator } = await import('@site-cli/aws-sim');
    const { sandboxPaths, recordSandboxEndpoint, forgetSandboxEndpoint } = await import('../../sandbox.js');
    const paths = sandboxPaths(this.config.dataDir);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(paths.dir, { recursive: true });
    const simulator = await startSimulator({
      port: flags.port,
      profile: flags.profile as 'fast' | 'realistic',
      timeScale: Number(flags['time-scale']),
      region: flags.region,
      stateFile: paths.state,
    });
    await recordSandboxEndpoint(this.config.dataDir, simulator.endpoint);
    this.log(`Sandbox running at ${simulator.endpoint} (state: ${paths.state}). Press Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await simulator.stop();
    await forgetSandboxEndpoint(this.config.dataDir);
    return { endpoint: simulator.endpoint, state: paths.state };
  }
}
