import type { CoreSession } from '@site-cli/core';

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
    return ask(options.question, options.session.signal);
  };
}

/**
 * y/N on the terminal. Ctrl-C typed at the prompt (the terminal is in raw mode: it arrives as a key, not a
 * signal) and a SIGINT or SIGTERM sent meanwhile stop the command with nothing changed; end of input is a no.
 */
async function ask(question: string, stopped: AbortSignal): Promise<boolean> {
  const [{ createInterface }, { InterruptedError }] = await Promise.all([
    import('node:readline'),
    import('@site-cli/core'),
  ]);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<boolean>((resolve, reject) => {
      const interrupt = () => reject(new InterruptedError('Interrupted at the prompt: nothing was changed.'));
      if (stopped.aborted) return interrupt();
      stopped.addEventListener('abort', interrupt, { once: true });
      prompt.on('SIGINT', interrupt);
      prompt.on('close', () => resolve(false));
      prompt.question(`${question} [y/N] `, (answer) => resolve(/^y(es)?$/i.test(answer.trim())));
    });
  } finally {
    prompt.close();
  }
}
