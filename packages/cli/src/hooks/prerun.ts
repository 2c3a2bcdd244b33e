import type { Hook } from '@oclif/core';

/**
 * Commands site did not write (oclif's `plugins`, `plugins inspect`, `plugins install`, or a plugin built
 * without the kit) still answer --json with site's envelope and exit with its codes (2 for a command line
 * they cannot parse). Commands built on the kit's base command do this themselves.
 */
const hook: Hook<'prerun'> = async function ({ Command }) {
  const command = Command as typeof Command & { siteEnvelope?: boolean };
  if (command.siteEnvelope || !command.enableJsonFlag) return;
  const { errorEnvelope, exitCodeOf, guardStdout, successEnvelope, writeDocument } =
    await import('@site-cli/plugin-kit');
  const prototype = command.prototype as unknown as {
    id?: string;
    jsonEnabled(): boolean;
    catch(error: Error): Promise<unknown>;
    init(): Promise<unknown>;
    logJson(json: unknown): void;
    toSuccessJson(result: unknown): unknown;
    toErrorJson(error: unknown): unknown;
  };
  if (Object.prototype.hasOwnProperty.call(prototype, 'siteWrapped')) return;
  const { catch: originalCatch, init: originalInit } = prototype;
  Object.assign(prototype, {
    siteWrapped: true,
    async init(this: typeof prototype) {
      await originalInit.call(this);
      if (this.jsonEnabled()) guardStdout();
    },
    logJson: (json: unknown) => writeDocument(JSON.stringify(json, null, 2)),
    toSuccessJson: (result: unknown) => successEnvelope(result),
    toErrorJson(this: typeof prototype, error: unknown) {
      return errorEnvelope(error, [], this.id?.replaceAll(':', ' '));
    },
    async catch(this: typeof prototype, error: Error & { oclif?: { exit?: number } }) {
      const { presentError } = await import('../present-error.js');
      const presented = (await presentError(error)) as Error & { oclif?: { exit?: number } };
      const exit = exitCodeOf(presented);
      presented.oclif = { ...presented.oclif, exit };
      process.exitCode = exit;
      return originalCatch.call(this, presented);
    },
  });
};

export default hook;
