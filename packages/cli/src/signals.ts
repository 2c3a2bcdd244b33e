/**
 * Ctrl-C (SIGINT) and SIGTERM, for the whole process. While a session runs, the first signal stops its work,
 * which unwinds (the site lock released, what was created left tagged) and exits 130, or 143 for SIGTERM.
 * With nothing to unwind, the process says so and exits at once with the same codes. A command that handles
 * the signals itself (`site sandbox start`) is left to do so.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

const stops = new Set<() => void>();
let received: StopSignal | undefined;
let installed = false;

/** The signal that stopped this run, if one did. */
export function stoppedBy(): StopSignal | undefined {
  return received;
}

/** Call `stop` on the first SIGINT or SIGTERM; returns how to stop watching. */
export function watchInterrupt(stop: () => void): () => void {
  stops.add(stop);
  return () => stops.delete(stop);
}

/** What the user reads when a signal stops the run. */
export function stopMessage(signal: StopSignal, resumable: boolean): string {
  const what = signal === 'SIGTERM' ? 'Stopped by SIGTERM.' : 'Interrupted.';
  return resumable
    ? `${what} Everything created so far is tagged: run the same command again to resume, or \`site destroy\` to clean up.`
    : `${what} Nothing was changed.`;
}

export function installSignalHandlers(options: { json: boolean }): void {
  if (installed) return;
  installed = true;
  const on = (signal: StopSignal) => {
    if (received) return; // already unwinding: a second signal cannot kill the run holding the lock
    received = signal;
    if (stops.size > 0) {
      for (const stop of stops) stop();
      return;
    }
    // Someone else listens (the simulator of `site sandbox start`): it stops the command its own way.
    if (process.listenerCount(signal) > 1) return;
    const exit = SIGNAL_EXIT[signal];
    const message = stopMessage(signal, false);
    if (!options.json) {
      process.stderr.write(`${message}\n`);
      process.exit(exit);
    }
    const code = signal === 'SIGTERM' ? 'TERMINATED' : 'INTERRUPTED';
    const document = { status: exit, error: { code, message, suggestions: [] }, warnings: [] };
    // Loaded only now: this module is part of every start-up.
    void import('@site-cli/plugin-kit').then(({ writeDocument }) => {
      writeDocument(JSON.stringify(document, null, 2));
      process.exit(exit);
    });
  };
  process.on('SIGINT', () => on('SIGINT'));
  process.on('SIGTERM', () => on('SIGTERM'));
}
