import type { SiteHookOptions, SiteHookResult } from '@site-cli/core/plugin';
import { CONFIG_KEY, domainSchema } from '../config.js';

/** site:config-schema — the `domain` section of the site config, validated with the core's zod. */
const hook = async function (
  options: SiteHookOptions<'site:config-schema'>,
): Promise<SiteHookResult<'site:config-schema'>> {
  return { key: CONFIG_KEY, schema: domainSchema(options.runtime.z) };
};

export default hook;
