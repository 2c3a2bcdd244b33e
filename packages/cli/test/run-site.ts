import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/run.js');

export interface SiteRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp folder standing in for a user's project, with its own data directory. */
export function tempProject(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'site-e2e-'));
  return {
    dir,
    env: {
      SITE_DATA_DIR: path.join(dir, '.data'),
      SITE_RENDERER: 'simple',
      NO_COLOR: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  };
}

/** Run the built `site` binary as a user would. */
export function runSite(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<SiteRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** Start `site` and interrupt it with SIGINT (or `signal`) once its output matches `when`. */
export function interruptSite(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; when: RegExp; signal?: NodeJS.Signals },
): Promise<SiteRun & { interrupted: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const check = () => {
      if (!interrupted && options.when.test(stdout + stderr)) {
        interrupted = true;
        child.kill(options.signal ?? 'SIGINT');
      }
    };
    child.stdout.on('data', (chunk) => ((stdout += chunk), check()));
    child.stderr.on('data', (chunk) => ((stderr += chunk), check()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, interrupted }));
  });
}
