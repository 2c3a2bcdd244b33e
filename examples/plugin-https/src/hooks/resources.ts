import type { Resource, SiteHookOptions } from '@site-cli/core/plugin';
import { activeHttps } from '../config.js';
import { ingressResource } from '../resources/ingress.js';
import { httpsListenerResource } from '../resources/listener.js';
import { redirectResource } from '../resources/redirect.js';

/**
 * site:resources — nothing until https.certificateArn is set (plan, deploy and destroy do not mention HTTPS);
 * then the open port, the HTTPS listener and the redirect, joined to the built-in resources by their ids.
 */
const hook = async function (options: SiteHookOptions<'site:resources'>): Promise<Resource[]> {
  if (!activeHttps(options.siteConfig)) return [];
  return [ingressResource(), httpsListenerResource(), redirectResource()] as Resource[];
};

export default hook;
