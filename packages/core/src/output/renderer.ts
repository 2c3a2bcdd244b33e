export type RendererChoice = 'default' | 'simple' | 'silent';

const CHOICES: readonly string[] = ['default', 'simple', 'silent'];

/** SITE_RENDERER only changes how progress looks: a value it does not know is a warning, not a stop. */
export function rendererWarning(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.SITE_RENDERER;
  if (value === undefined || value === '' || CHOICES.includes(value)) return undefined;
  return `SITE_RENDERER=${JSON.stringify(value).slice(0, 40)} is not one of ${CHOICES.join(', ')}: it is ignored.`;
}

/**
 * The one place the task renderer is chosen: the live tree on a terminal, a plain line per event
 * in CI and pipes, nothing with --json (the JSON document is the output).
 */
export function chooseRenderer(
  options: { json?: boolean; isTTY?: boolean; env?: NodeJS.ProcessEnv } = {},
): RendererChoice {
  const env = options.env ?? process.env;
  if (options.json || env.SITE_RENDERER === 'silent') return 'silent';
  if (env.SITE_RENDERER === 'simple') return 'simple';
  const tty = options.isTTY ?? Boolean(process.stderr.isTTY);
  if (!tty || env.CI || env.TERM === 'dumb') return 'simple';
  return 'default';
}

/**
 * listr2's settings for a choice. Every renderer writes to `stream` (stderr), so stdout holds only the
 * command's result; our choice is final, so listr2's own stdout-is-a-TTY fallback gets the same renderer.
 */
export async function listrRendererOptions(
  choice: RendererChoice,
  stream: NodeJS.WritableStream = process.stderr,
): Promise<Record<string, unknown>> {
  if (choice === 'silent') return { renderer: 'silent', fallbackRenderer: 'silent' };
  const both = (renderer: unknown, rendererOptions: object) => ({
    renderer,
    rendererOptions,
    fallbackRenderer: renderer,
    fallbackRendererOptions: rendererOptions,
  });
  if (choice === 'simple') {
    const { LineRenderer } = await import('./line-renderer.js');
    return both(LineRenderer, { write: (text: string) => stream.write(text) });
  }
  const { DefaultRenderer, ListrLogger, ProcessOutput } = await import('listr2');
  const processOutput = new ProcessOutput(stream as NodeJS.WriteStream, stream as NodeJS.WriteStream);
  return both(DefaultRenderer, {
    logger: new ListrLogger({ useIcons: true, processOutput }),
    collapseSubtasks: false,
    showErrorMessage: true,
  });
}
