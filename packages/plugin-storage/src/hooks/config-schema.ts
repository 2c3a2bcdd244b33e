import type { SiteHookOptions, SiteHookResult } from '@site-cli/core/plugin';
import { DEFAULT_KEEP } from '../settings.js';

/** site:config-schema — the `storage` section: how many releases the bucket keeps (rollback's reach). */
const hook = async function (
  options: SiteHookOptions<'site:config-schema'>,
): Promise<SiteHookResult<'site:config-schema'>> {
  const z = options.runtime.z;
  return {
    key: 'storage',
    schema: z
      .strictObject({
        keep: z
          .number()
          .int()
          .min(2, 'at least 2 (the current release and one to roll back to)')
          .max(100)
          .default(DEFAULT_KEEP)
          .describe(
            'Releases kept in the bucket, the current one included: how far `site rollback` reaches.',
          ),
      })
      .describe('The bucket of a `source.dir` site.'),
  };
};

export default hook;
