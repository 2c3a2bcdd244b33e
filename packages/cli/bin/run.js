#!/usr/bin/env node
import { flush, handle, run } from '@oclif/core';

try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (error) {
  // What no command caught: a command line naming no command (the init hook), or an error of oclif itself.
  // Commands present their own errors (and print the --json envelope themselves).
  const [{ presentError }, { wantsJson }, { errorEnvelope, exitCodeOf, writeDocument }] = await Promise.all([
    import('../lib/present-error.js'),
    import('../lib/command-line/json.js'),
    import('@site-cli/plugin-kit'),
  ]);
  const presented = await presentError(error);
  if (wantsJson() && presented instanceof Error && presented.oclif?.exit !== 0) {
    writeDocument(JSON.stringify(errorEnvelope(presented), null, 2));
    process.exitCode = exitCodeOf(presented);
  } else {
    await handle(presented);
  }
}
