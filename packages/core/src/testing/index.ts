// The test kit for plugins, built-in and third-party: `import ... from '@site-cli/core/testing'`.
// Not part of the main entry, so the CLI never loads nock.
export * from './context.js';
export * from './wire.js';
export {
  fixtureTemplateZip,
  startTooplateMirror,
  useTooplateMirror,
  type TooplateMirror,
} from './tooplate-mirror.js';
// The zod the plugin API hands plugins (`runtime.z` in hook options), for building a plugin's config section in its tests.
export { z } from 'zod';
export * from './price-list.js';
