import { Flags, type Command } from '@oclif/core';
import type { SiteRuntime } from '@site-cli/core/plugin';

/** The AWS flags every site command takes (the core types them as AwsCommandFlags). */
export const awsFlags = {
  config: Flags.string({ char: 'c', summary: 'Path to the site config file.' }),
  region: Flags.string({ summary: 'AWS region (overrides the config file and AWS_REGION).' }),
  profile: Flags.string({ summary: 'AWS shared-config profile.' }),
  'endpoint-url': Flags.string({ summary: 'Send AWS calls to this endpoint (LocalStack, moto, aws-sim).' }),
  sandbox: Flags.boolean({ summary: 'Run against the built-in local simulator instead of AWS.' }),
};

/**
 * The core runtime, answered by the CLI's `site:runtime` hook: a plugin imports only types from the core,
 * so it always runs with the core of the CLI it is installed into.
 */
export async function getRuntime(command: Command): Promise<SiteRuntime> {
  const result = await command.config.runHook('site:runtime', {});
  const runtime = result.successes.map((s) => s.result as SiteRuntime | undefined).find(Boolean);
  if (!runtime) {
    const reason = result.failures[0]?.error?.message;
    command.error(
      `The site core runtime is not available${reason ? `: ${reason}` : ''}. Run this command through the \`site\` CLI.`,
      { exit: 1 },
    );
  }
  if (runtime.apiVersion !== 1) {
    command.error(
      `This plugin speaks version 1 of the site plugin API; this site has version ${runtime.apiVersion}. Update the plugin.`,
      { exit: 1 },
    );
  }
  return runtime;
}
