import type { ResourceContext } from '@site-cli/core/plugin';
import type { ACM } from '@aws-sdk/client-acm';
import type { Route53 } from '@aws-sdk/client-route-53';

/**
 * ACM and Route 53 clients, made once per run and only when first used (the SDK costs ~0.5 s to import), with
 * the core's settings: the same region, profile, endpoint (sandbox, emulators) and credentials as ctx.aws.
 * AWS_ENDPOINT_URL_ACM / AWS_ENDPOINT_URL_ROUTE_53 still apply when no endpoint is given (the SDK reads them).
 */
function common(ctx: ResourceContext) {
  const { region, profile, endpoint, credentials, maxAttempts } = ctx.aws.settings;
  return { region, profile, endpoint, credentials, retryMode: 'standard', maxAttempts: maxAttempts ?? 5 };
}

export function acm(ctx: ResourceContext): Promise<ACM> {
  return ctx.once('domain:client:acm', async () => {
    const { ACM } = await import('@aws-sdk/client-acm');
    return new ACM(common(ctx));
  });
}

/** Route 53 is global; the SDK signs for us-east-1 whatever the region. */
export function route53(ctx: ResourceContext): Promise<Route53> {
  return ctx.once('domain:client:route53', async () => {
    const { Route53 } = await import('@aws-sdk/client-route-53');
    return new Route53(common(ctx));
  });
}
