import type { SiteHookOptions, SiteHookResult } from '@site-cli/core/plugin';
import { CONFIG_KEY, httpsSchema } from '../config.js';

/** site:config-schema — the `https` section of the site config, validated with the core's zod. */
const hook = async function (
  options: SiteHookOptions<'site:config-schema'>,
): Promise<SiteHookResult<'site:config-schema'>> {
  return { key: CONFIG_KEY, schema: httpsSchema(options.runtime.z) };
};

export default hook;
