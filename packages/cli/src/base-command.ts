import { SiteCommand as KitCommand } from '@site-cli/plugin-kit';
import { presentError } from './present-error.js';

/**
 * The CLI's own commands: the plugin kit's base command (--json envelope, clean stdout, exit codes), with
 * errors presented here directly rather than through the plugin API.
 */
export abstract class SiteCommand extends KitCommand {
  protected override async present(error: Error): Promise<Error> {
    return (await presentError(error)) as Error;
  }
}
