import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { keyPairResource } from '../resources/key-pair.js';

/** Contributes the key pair to the site's resource graph. */
const hook = async function (_options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [keyPairResource() as Resource];
};

export default hook;
