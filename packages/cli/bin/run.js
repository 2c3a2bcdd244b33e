#!/usr/bin/env node
import { flush, handle, run } from '@oclif/core';

try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (error) {
  // Plugin commands extend oclif's Command, not ours: their errors are presented like ours.
  const { presentError } = await import('../lib/present-error.js');
  await handle(await presentError(error));
}
