import { SiteCommand } from '../../base-command.js';

export default class SandboxReset extends SiteCommand {
  static override summary = 'Forget everything the sandbox holds: a fresh simulated account.';
  static override examples = ['<%= config.bin %> sandbox reset'];

  async run() {
    await this.parse(SandboxReset);
    const { rm } = await import('node:fs/promises');
    const { sandboxPaths } = await import('../../sandbox.js');
    const paths = sandboxPaths(this.config.dataDir);
    const endpoint = await import('node:fs/promises').then((fs) =>
      fs.readFile(paths.endpoint, 'utf8').catch(() => undefined),
    );
    if (endpoint) {
      // A running `site sandbox start` holds the state in memory: reset it there too.
      const { endpoint: url } = JSON.parse(endpoint) as { endpoint: string };
      await fetch(`${url}/_sim/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) }).catch(
        () => undefined,
      );
    }
    await rm(paths.state, { force: true });
    if (!this.jsonEnabled()) this.log('The sandbox is empty.');
    return { reset: true, state: paths.state };
  }
}
