import { Flags } from '@oclif/core';
import { awsFlags, keyDirFlag, SiteCommand } from '@site-cli/plugin-kit';

export default class InstanceSsh extends SiteCommand {
  static override summary = 'Print (or run) the ssh command that reaches a site instance.';
  static override description =
    'Prints `ssh -i <key file> ec2-user@<public address>` for the first running instance (or --index N). With --exec it runs ssh right away. SSH is open only to the CIDR in ssh.cidr (your public IP by default).';
  static override examples = [
    '<%= config.bin %> instance ssh',
    '<%= config.bin %> instance ssh --index 2 --exec',
    '$(<%= config.bin %> instance ssh)',
  ];
  static override flags = {
    ...awsFlags,
    ...keyDirFlag,
    index: Flags.integer({
      summary: 'Which instance (1-based, in launch order of the site).',
      min: 1,
      default: 1,
    }),
    exec: Flags.boolean({ summary: 'Run ssh now with this terminal.', default: false }),
  };

  async run(): Promise<{ command: string; instanceId: string; host: string; user: string; pemPath: string }> {
    const { flags } = await this.parse(InstanceSsh);
    const core = await this.siteCore();
    if (flags.exec && flags.sandbox) {
      // Sandbox instances exist only in the simulator: there is no host to reach, and never a stranger's.
      throw core.createError({
        code: 'SANDBOX_NO_SSH',
        message: '--exec with --sandbox: sandbox instances are simulated, there is no machine to ssh into.',
        suggestions: [
          'Drop --exec to print the command (its host name ends in .invalid and resolves nowhere).',
          'Deploy without --sandbox to get an instance you can reach.',
        ],
        exitCode: core.ExitCode.usage,
      });
    }
    const session = await this.openSession(flags);
    let result: { command: string; instanceId: string; host: string; user: string; pemPath: string };
    try {
      const outputs = await session.discover(['keypair.key-pair', 'compute.instances']);
      const instances = outputs.get('compute.instances');
      const running = (instances?.instances ?? []).filter((i) => i.state === 'running');
      if (running.length === 0) {
        throw core.createError({
          code: 'NO_RUNNING_INSTANCE',
          message: `No running instance found for site ${session.config.name} in ${session.config.region}.`,
          suggestions: ['Run `site deploy` to create it, or `site instance status` to see what exists.'],
        });
      }
      const instance = running[flags.index - 1];
      if (!instance) {
        throw core.createError({
          code: 'NO_SUCH_INSTANCE',
          message: `--index ${flags.index}: the site has ${running.length} running instance${running.length > 1 ? 's' : ''}.`,
          exitCode: core.ExitCode.usage,
        });
      }
      const host = instance.publicDnsName || instance.publicIpAddress;
      if (!host) {
        throw core.createError({
          code: 'NO_PUBLIC_ADDRESS',
          message: `Instance ${instance.instanceId} has no public IP address or DNS name.`,
          suggestions: [
            'Its subnet does not assign public IPs: reach it through a bastion or SSM Session Manager.',
          ],
        });
      }
      const keyPair = outputs.get('keypair.key-pair');
      if (!keyPair?.pemPath || !keyPair.pemPresent) {
        throw core.createError({
          code: 'KEY_FILE_MISSING',
          message: keyPair?.pemPath
            ? `The private key ${keyPair.pemPath} is not there: AWS shows a private key only once, at creation.`
            : `The key pair of site ${session.config.name} does not exist.`,
          suggestions: [
            'Point --key-dir (or keyDir in the config) at the folder holding the .pem file.',
            'Or run `site keypair delete` then `site deploy` to make a new key pair (instances are replaced to use it).',
          ],
        });
      }
      const user = instances?.sshUser ?? 'ec2-user';
      result = {
        command: `ssh -i ${quote(keyPair.pemPath)} ${user}@${host}`,
        instanceId: instance.instanceId,
        host,
        user,
        pemPath: keyPair.pemPath,
      };
    } finally {
      await session.close();
    }
    if (flags.exec) {
      const { spawn } = await import('node:child_process');
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn('ssh', ['-i', result.pemPath, `${result.user}@${result.host}`], {
          stdio: 'inherit',
        });
        child.on('error', reject);
        child.on('exit', (exitCode) => resolve(exitCode ?? 1));
      });
      if (code !== 0) this.exit(code);
    } else {
      this.log(result.command);
    }
    return result;
  }
}

function quote(path: string): string {
  return /^[\w./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
