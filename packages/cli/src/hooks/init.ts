import type { Hook } from '@oclif/core';

/** `site --version` names the command users type (site/0.1.0 …), not the npm package it ships in. */
const hook: Hook<'init'> = async function ({ config }) {
  // oclif types userAgent read-only, but sets it once in load() and reads it for --version and help.
  (config as { userAgent: string }).userAgent = config.userAgent.replace(`${config.name}/`, `${config.bin}/`);
};

export default hook;
