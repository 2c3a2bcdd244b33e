import type { Resource, SiteHookOptions } from '@site-cli/core/plugin';
import type { ResourceContext } from '@site-cli/core/plugin';
import { domainConfig } from '../config.js';
import { certificateResource } from '../resources/certificate.js';
import { httpRedirectResource } from '../resources/http-redirect.js';
import { httpsListenerResource } from '../resources/https-listener.js';
import { ingressResource } from '../resources/ingress.js';
import { recordsResource } from '../resources/records.js';
import { siteHttpsResource } from '../resources/site-https.js';
import { validationRecordsResource } from '../resources/validation-records.js';
import { zoneResource } from '../resources/zone.js';

/**
 * site:resources — nothing until domain.name is set; then the zone, the certificate (in parallel with the load
 * balancer: it depends on nothing of it), its validation, HTTPS, the redirect, the records and the final check.
 * With domain.certificateArn the certificate is the user's: looked up, never requested nor deleted.
 */
const hook = async function (options: SiteHookOptions<'site:resources'>): Promise<Resource[]> {
  const domain = domainConfig(options.siteConfig);
  if (!domain) return leftBehind();
  const given = domain.certificateArn !== undefined;
  return [
    zoneResource(),
    certificateResource(given),
    ...(given ? [] : [validationRecordsResource()]),
    ingressResource(),
    httpsListenerResource(given),
    httpRedirectResource(),
    recordsResource(),
    siteHttpsResource(),
  ] as Resource[];
};

/**
 * Without domain.name: what a domain section made before it was taken out, found from AWS state alone
 * (remembered.ts) and unwanted — deploy deletes it once its checks pass, destroy deletes it. No zone look-up and
 * no final check; each waits for alb.listener, whose discovery tells whether there is anything to look for.
 */
const CREATE_ONLY =
  /:(RequestCertificate|AddTagsToCertificate|ListHostedZonesByName|CreateListener|CreateRule|ModifyListener|ModifyRule|AddTags|AuthorizeSecurityGroupIngress|CreateTags)$/;

function leftBehind(): Resource[] {
  const wanted = (ctx: ResourceContext) => domainConfig(ctx.config) !== undefined;
  return [
    certificateResource(false),
    validationRecordsResource(),
    ingressResource(),
    httpsListenerResource(false),
    httpRedirectResource(),
    recordsResource(),
  ].map((resource) => ({
    ...resource,
    // Finding and deleting only: never created without the section (keeps `site iam-policy` small).
    iam: resource.iam.filter((action) => !CREATE_ONLY.test(action)),
    wanted,
    dependsOn: [...resource.dependsOn.filter((id) => id !== 'domain.zone'), 'alb.listener'].filter(
      (id, index, all) => all.indexOf(id) === index,
    ),
  })) as Resource[];
}

export default hook;
