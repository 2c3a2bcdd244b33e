import type { Interfaces } from '@oclif/core';
import { nearest } from '@site-cli/core/nearest';

type Config = Interfaces.Config;

/**
 * A command line that names no command: exit 2 (bad input), like every other mistake on the command line.
 * Shaped like the core's SiteError without loading the core: the init hook runs on every command, --help too.
 */
export class UnknownCommandError extends Error {
  readonly code: string;
  readonly suggestions: string[];
  readonly exitCode = 2;
  readonly oclif = { exit: 2 };

  constructor(code: string, message: string, suggestions: string[]) {
    super(message);
    this.name = 'SiteError';
    this.code = code;
    this.suggestions = suggestions;
  }

  toJSON() {
    const { code, message, suggestions, exitCode } = this;
    return { code, message, suggestions, exitCode };
  }
}

const spaced = (id: string) => id.replaceAll(':', ' ');

/**
 * oclif joins every word of `site deploy foo` into one command id (deploy:foo) when `deploy` takes no
 * arguments, then reports "command not found" (exit 127). Here the longest known command in front is found:
 * the words after it are arguments it does not take. Undefined when the id names a command or a topic.
 */
export function unknownCommand(config: Config, id: string | undefined): UnknownCommandError | undefined {
  if (!id || config.findCommand(id) || config.findTopic(id)) return undefined;
  const words = id.split(':');
  for (let length = words.length - 1; length > 0; length--) {
    const known = words.slice(0, length).join(':');
    const extra = words.slice(length).join(' ');
    if (config.findCommand(known)) {
      return new UnknownCommandError(
        'UNEXPECTED_ARGUMENT',
        `\`${config.bin} ${spaced(known)}\` takes no argument "${extra}".`,
        [`Run \`${config.bin} ${spaced(known)} --help\` for its flags.`],
      );
    }
    if (config.findTopic(known)) {
      const commands = config.commands.filter((c) => c.id.startsWith(`${known}:`) && !c.hidden);
      return new UnknownCommandError(
        'UNKNOWN_COMMAND',
        `\`${config.bin} ${spaced(id)}\` is not a command: ${spaced(known)} has ${commands.map((c) => spaced(c.id)).join(', ')}.`,
        [`Run \`${config.bin} ${spaced(known)} --help\`.`],
      );
    }
  }
  const closest = nearest(
    id,
    config.commands.filter((c) => !c.hidden).map((c) => c.id),
  );
  return new UnknownCommandError('UNKNOWN_COMMAND', `\`${config.bin} ${spaced(id)}\` is not a command.`, [
    ...(closest ? [`Did you mean \`${config.bin} ${spaced(closest)}\`?`] : []),
    `Run \`${config.bin} --help\` for the list of commands.`,
  ]);
}
