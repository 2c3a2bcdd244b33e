import { SiteCommand } from '../../base-command.js';

export default class SandboxReset extends SiteCommand {
  static override summary = 'Forget everything the sandbox holds: a fresh simulated account.';
  static override examples = ['<%= config.bin %> sandbox reset'];

  async run() {
    await this.parse(SandboxReset);
    const { rm } = await import('node:fs/promises');
    const { sandboxPaths, runningSandbox } = await import('../../sandbox.js');
    const paths = sandboxPaths(this.config.dataDir);
    const running = await runningSandbox(this.config.dataDir);
    if (running) {
      // A running `site sandbox start` empties itself and writes the empty state as its newest generation.
      await fetch(`${running.endpoint}/_sim/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) });
    } else {
      await rm(paths.state, { force: true });
    }
    if (!this.jsonEnabled()) this.log('The sandbox is empty.');
    return { reset: true, state: paths.state };
  }
}
