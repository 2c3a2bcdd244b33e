#!/usr/bin/env node
import { flush, handle, run } from '@oclif/core';

try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (error) {
  // Plugin commands extend oclif's Command, not ours: give their AWS errors the same translation
  // (what failed, the IAM action, how to fix, exit code) as the CLI's own commands get.
  await handle(await translate(error));
}

async function translate(error) {
  if (!(error instanceof Error) || error.oclif?.exit !== undefined) return error;
  const { translateError } = await import('@site-cli/core');
  const translated = translateError(error);
  if (translated.exitCode !== undefined) translated.oclif = { ...translated.oclif, exit: translated.exitCode };
  return translated;
}
