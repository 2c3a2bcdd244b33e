import { Flags } from '@oclif/core';
import { awsFlags as kitAwsFlags, configFlag, keyDirFlag } from '@site-cli/plugin-kit';

/** --config, shared by every command that reads the site configuration. */
export const configFlags = configFlag;

/** Where and how AWS is called (the plugin kit's flags, as plugin commands take them), and the key folder. */
export const awsFlags = { ...kitAwsFlags, ...keyDirFlag };

/** --source DIR: serve this folder (source.dir), for the commands that plan it. */
export const sourceFlag = {
  source: Flags.string({
    summary:
      "Serve this folder (source.dir): packed, stored in the site's private S3 bucket, switched to in place.",
    helpValue: 'DIR',
  }),
};
