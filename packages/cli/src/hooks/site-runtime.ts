import type { PluginApi } from '@site-cli/core';
import { wiredPluginApi } from '../core-wiring.js';

/**
 * Answers `site:runtime` (the event's name in version 1 of the plugin API, which installed plugins call):
 * the plugin API, for plugin commands, which import only types from the core.
 */
const hook = async function (): Promise<PluginApi> {
  return wiredPluginApi();
};

export default hook;
