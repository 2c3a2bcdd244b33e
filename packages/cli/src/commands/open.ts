import { Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';
import { awsFlags } from '../flags.js';

export default class Open extends SiteCommand {
  static override summary = 'Print the URL a browser can reach, and open it on a desktop.';
  static override description = `On AWS: the load balancer's http URL. In the sandbox: the loopback URL on which the simulator serves the site's real files — the one \`site sandbox start\` runs when there is one; otherwise this command serves it itself until Ctrl-C (exit 0).

The browser opens (xdg-open, open, start) unless --print or --json, or when stdout is not a terminal or there is no desktop session (DISPLAY).`;
  static override examples = [
    '<%= config.bin %> open',
    '<%= config.bin %> open --sandbox',
    '<%= config.bin %> open --print --json',
  ];
  static override flags = {
    ...awsFlags,
    print: Flags.boolean({ summary: 'Only print the URL; do not open a browser.', default: false }),
  };

  async run() {
    const { flags } = await this.parse(Open);
    const { openSession } = await import('../command-session.js');
    const { findSiteAddress } = await import('@site-cli/core');
    const session = await openSession(this, flags);
    try {
      const address = await findSiteAddress(session);
      // In the sandbox, the data plane lives as long as the simulator: the running `sandbox start`, or this process.
      const servedHere = session.sandbox && !(await this.sandboxRunning());
      const { noBrowserReason, openInBrowser } = await import('../browser.js');
      const skip = flags.print ? '--print' : this.jsonEnabled() ? '--json' : noBrowserReason();
      const opened = skip ? { opened: false } : await openInBrowser(address.browserUrl);
      if (opened.error)
        this.warn(`could not open a browser (${opened.error}): open ${address.browserUrl} yourself.`);
      const result = { ...address, opened: opened.opened, servedBy: servedBy(session.sandbox, servedHere) };
      if (!servedHere) {
        if (!this.jsonEnabled()) this.log(address.browserUrl);
        return result;
      }
      if (this.jsonEnabled()) {
        // The document comes when serving ends (Ctrl-C), but the URL is needed now: on stderr, which oclif's
        // logToStderr keeps quiet under --json.
        process.stderr.write(`Serving ${address.url} at ${address.browserUrl} until Ctrl-C.\n`);
      } else {
        this.log(address.browserUrl);
        this.logToStderr(
          `Serving the sandbox's ${address.url} here until Ctrl-C (\`site sandbox start\` in another terminal keeps it up instead).`,
        );
      }
      const { stoppedBy, watchInterrupt } = await import('../signals.js');
      await new Promise<void>((resolve) => watchInterrupt(resolve));
      // Ctrl-C is how serving ends (exit 0, like `sandbox start`); SIGTERM keeps its own code.
      if (stoppedBy() === 'SIGTERM') {
        const { InterruptedError } = await import('@site-cli/core');
        throw new InterruptedError('Stopped serving the sandbox: the site was not changed.');
      }
      return result;
    } finally {
      await session.close();
    }
  }

  private async sandboxRunning(): Promise<boolean> {
    const { runningSandbox } = await import('../sandbox.js');
    return (await runningSandbox(this.config.dataDir)) !== undefined;
  }
}

function servedBy(sandbox: boolean, here: boolean): 'aws' | 'sandbox start' | 'this command' {
  if (!sandbox) return 'aws';
  return here ? 'this command' : 'sandbox start';
}
