import type { AwsCommandFlags, CoreSession } from '@site-cli/core';
import type { SiteCommand } from './base-command.js';
import { siteRuntime } from './hooks/runtime.js';

/** Open a core session for one of the CLI's own commands. Always close it. */
export async function openSession(command: SiteCommand, flags: AwsCommandFlags): Promise<CoreSession> {
  const runtime = await siteRuntime();
  const session = (await runtime.openSession(
    { config: command.config, id: command.id },
    flags,
  )) as CoreSession;
  command.collectWarnings(session.log);
  return session;
}

/**
 * The yes before deploy or destroy changes AWS: --yes or the sandbox say it up front; a terminal is
 * asked; anywhere else (CI, pipes) the command refuses rather than change AWS unasked.
 */
export function confirmer(options: {
  yes: boolean;
  session: CoreSession;
  command: string;
  question: string;
}) {
  return async (): Promise<boolean> => {
    if (options.yes || options.session.sandbox) return true;
    if (!(process.stdin.isTTY && process.stderr.isTTY)) {
      const { SiteError, ExitCode } = await import('@site-cli/core');
      throw new SiteError({
        code: 'CONFIRMATION_REQUIRED',
        message: `${options.command} changes AWS resources and there is no terminal to ask.`,
        suggestions: [`Review \`site plan\`, then run \`site ${options.command} --yes\`.`],
        exitCode: ExitCode.usage,
      });
    }
    return ask(options.question);
  };
}

async function ask(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
