import { Flags } from '@oclif/core';
import type { Command } from '@oclif/core';
import type { SiteRuntime } from '@site-cli/core/plugin';

/** The flags every AWS command takes (typed in the core as AwsCommandFlags). */
export const awsFlags = {
  config: Flags.string({ char: 'c', summary: 'Path to the site config file.' }),
  region: Flags.string({ summary: 'AWS region (overrides the config file and AWS_REGION).' }),
  profile: Flags.string({ summary: 'AWS shared-config profile.' }),
  'endpoint-url': Flags.string({ summary: 'Send AWS calls to this endpoint (LocalStack, aws-sim).' }),
  sandbox: Flags.boolean({
    summary: 'Run against the built-in AWS simulator instead of AWS.',
    default: false,
  }),
};

export const keyDirFlag = {
  'key-dir': Flags.string({ summary: 'Folder for <key name>.pem (default: beside the config file).' }),
};

/** The core's runtime, answered by the CLI's `site:runtime` hook (plugins take only types from the core). */
export async function getRuntime(command: Command): Promise<SiteRuntime> {
  const result = await command.config.runHook('site:runtime', {});
  const runtime = result.successes.map((success) => success.result as SiteRuntime).find(Boolean);
  if (!runtime) {
    const reason = result.failures.map((failure) => failure.error.message).join('; ');
    command.error(
      `The site core runtime is not available${reason ? `: ${reason}` : ''}. Run this command through the site CLI.`,
      {
        exit: 1,
      },
    );
  }
  return runtime;
}
