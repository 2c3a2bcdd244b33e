import { Flags } from '@oclif/core';

/** --config: every command that reads the site configuration takes it. */
export const configFlag = {
  config: Flags.string({
    char: 'c',
    summary: 'Path to the site configuration file (default: searched from the current folder up).',
    helpValue: 'PATH',
  }),
};

/** Where and how AWS is called: every AWS command takes these (the core types them as AwsCommandFlags). */
export const awsFlags = {
  ...configFlag,
  region: Flags.string({
    summary: 'AWS region (overrides AWS_REGION and the config file).',
    helpGroup: 'AWS',
  }),
  profile: Flags.string({ summary: 'AWS shared-config profile (overrides AWS_PROFILE).', helpGroup: 'AWS' }),
  'endpoint-url': Flags.string({
    summary: 'Send AWS calls to this endpoint (LocalStack, moto, aws-sim).',
    helpGroup: 'AWS',
    helpValue: 'URL',
  }),
  sandbox: Flags.boolean({
    summary: 'Run against the built-in AWS simulator: no account, no bill (state kept between commands).',
    helpGroup: 'AWS',
    default: false,
  }),
};

/** --key-dir: commands that read or write the site's <key name>.pem take it. */
export const keyDirFlag = {
  'key-dir': Flags.string({
    summary: 'Folder for the <key name>.pem private key (default: beside the config).',
    helpValue: 'DIR',
  }),
};
