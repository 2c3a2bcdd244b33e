export type RendererChoice = 'default' | 'simple' | 'silent';

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
