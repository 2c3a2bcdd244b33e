import { Flags } from '@oclif/core';

/** --config, shared by every command that reads the site configuration. */
export const configFlags = {
  config: Flags.string({
    char: 'c',
    summary: 'Path to the site configuration file (default: searched from the current folder up).',
    helpValue: 'PATH',
  }),
};

/** Where and how AWS is called; every AWS command takes these. */
export const awsFlags = {
  ...configFlags,
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
  'key-dir': Flags.string({
    summary: 'Folder for the <key name>.pem private key (default: beside the config).',
    helpValue: 'DIR',
  }),
};
