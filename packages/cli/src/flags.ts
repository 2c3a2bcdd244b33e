import { awsFlags as kitAwsFlags, configFlag, keyDirFlag } from '@site-cli/plugin-kit';

/** --config, shared by every command that reads the site configuration. */
export const configFlags = configFlag;

/** Where and how AWS is called (the plugin kit's flags, as plugin commands take them), and the key folder. */
export const awsFlags = { ...kitAwsFlags, ...keyDirFlag };
