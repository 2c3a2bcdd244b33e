import type { Command } from '@oclif/core';
import type { AwsCommandFlags, CoreSession } from '@site-cli/core';
import { siteRuntime } from './hooks/runtime.js';

/** Open a core session for one of the CLI's own commands. Always close it. */
export async function openSession(command: Command, flags: AwsCommandFlags): Promise<CoreSession> {
  const runtime = await siteRuntime();
  return (await runtime.openSession({ config: command.config, id: command.id }, flags)) as CoreSession;
}

/** Ask on a terminal; elsewhere refuse unless --yes (never change AWS without a yes). */
export async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
