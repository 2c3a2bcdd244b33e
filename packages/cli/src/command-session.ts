import type { AwsCommandFlags, CoreSession } from '@site-cli/core';
import type { SiteCommand } from './base-command.js';
import { wiredPluginApi } from './core-wiring.js';

/** Open a core session for one of the CLI's own commands, its warnings joining the command's. Always close it. */
export async function openSession(command: SiteCommand, flags: AwsCommandFlags): Promise<CoreSession> {
  const pluginApi = await wiredPluginApi();
  const session = (await pluginApi.openSession(
    { config: command.config, id: command.id },
    flags,
  )) as CoreSession;
  command.collectWarnings(session.log);
  return session;
}
