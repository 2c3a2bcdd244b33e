/**
 * @site-cli/plugin-kit: what every site plugin shares at run time, so no plugin keeps its own copy of the glue.
 * Light on purpose: no AWS SDK, only @oclif/core (a peer: the plugin's own). The core's API comes from the CLI
 * at run time (`siteCore`); a plugin still imports only types from @site-cli/core.
 */
export { awsFlags, configFlag, keyDirFlag } from './flags.js';
export { siteCore, PLUGIN_API_VERSION } from './site-core.js';
export { SiteCommand } from './command.js';
export { allPages } from './pages.js';
export {
  deleteIgnoringGone,
  errorCode,
  isAwsError,
  isInterrupted,
  isSiteError,
  isWaitTimeout,
  PluginKitError,
  type SiteErrorShape,
} from './errors.js';
export {
  errorEnvelope,
  exitCodeOf,
  successEnvelope,
  type ErrorEnvelope,
  type SuccessEnvelope,
} from './envelope.js';
export { guardStdout, writeDocument } from './stdout-guard.js';
