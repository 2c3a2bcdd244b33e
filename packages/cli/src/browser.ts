/**
 * Opening a URL in the user's browser, the way each desktop does it (xdg-open, open, start), only where a
 * browser can appear: a terminal on a desktop session. Never waits for the browser; a failure is a warning.
 */
import { spawn } from 'node:child_process';

/** Why no browser is opened here, or undefined when one can be. */
export function noBrowserReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!process.stdout.isTTY) return 'stdout is not a terminal';
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return 'no desktop session (DISPLAY and WAYLAND_DISPLAY are unset)';
  return undefined;
}

/** Starts the platform's opener detached; resolves true once it started, false (with the reason) if not. */
export function openInBrowser(url: string): Promise<{ opened: boolean; error?: string }> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (e) => resolve({ opened: false, error: `${command}: ${e.message}` }));
    child.once('spawn', () => {
      child.unref();
      resolve({ opened: true });
    });
  });
}
