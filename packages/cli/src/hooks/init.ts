import type { Hook } from '@oclif/core';
import { wantsJson } from '../command-line/json.js';
import { installSignalHandlers } from '../signals.js';

/**
 * Runs before every command (even --help): nothing heavy here. `site --version` names the command users
 * type; Ctrl-C and SIGTERM are the CLI's from the start; a command line naming no command is bad input.
 */
const hook: Hook<'init'> = async function ({ config, id, argv }) {
  // oclif types userAgent read-only, but sets it once in load() and reads it for --version and help.
  (config as { userAgent: string }).userAgent = config.userAgent.replace(`${config.name}/`, `${config.bin}/`);
  installSignalHandlers({ json: wantsJson(argv) });
  // --help and --version are answered whatever precedes them.
  // (`site --help` comes here with the flag as the id.)
  if ([id, ...argv].some((arg) => arg === '--help' || arg === '-h' || arg === '--version')) return;
  if (!id || id.startsWith('-') || config.findCommand(id) || config.findTopic(id)) return;
  const { unknownCommand } = await import('../command-line/unknown-command.js');
  const problem = unknownCommand(config, id);
  if (problem) throw problem;
};

export default hook;
