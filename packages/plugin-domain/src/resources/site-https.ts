import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { checkSettings, HTTPS_PORT } from '../config.js';
import type { SiteHttpsOutput } from '../outputs.js';
import { get, redirectsToHttps, targetFor, type Answer } from '../site-https.js';

export const SITE_HTTPS = 'domain.site-https';

/** Resolvers may take a while to see new records (their negative-answer TTL): poll patiently, with a deadline. */
const POLL = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 10 * 60_000 };

/** One look at https://<name>/ and http://<name>/. */
async function check(ctx: ResourceContext): Promise<SiteHttpsOutput | undefined> {
  const domain = checkSettings(ctx);
  const lb = ctx.outputs.get('alb.load-balancer');
  const httpListener = ctx.outputs.get('alb.listener');
  if (!lb) return undefined;
  const url = `https://${domain.name}/`;
  const [httpsTarget, httpTarget] = await Promise.all([
    targetFor(ctx, domain.name, lb.dnsName, HTTPS_PORT),
    targetFor(ctx, domain.name, lb.dnsName, httpListener?.port ?? ctx.config.alb.port),
  ]);
  const https =
    'connect' in httpsTarget
      ? await get('https', domain.name, httpsTarget.connect, httpsTarget.ca)
      : { skipped: 'skipped' in httpsTarget ? httpsTarget.skipped : httpsTarget.pending };
  const http =
    'connect' in httpTarget
      ? await get('http', domain.name, httpTarget.connect)
      : { skipped: 'skipped' in httpTarget ? httpTarget.skipped : httpTarget.pending };
  const { body, ...httpsAnswer } = https as Answer & { skipped?: string };
  const { body: _ignored, ...httpAnswer } = http as Answer & { skipped?: string };
  const title = body ? /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() : undefined;
  return { url, https: { ...httpsAnswer, ...(title ? { title } : {}) }, http: httpAnswer };
}

const skippedForGood = (ctx: ResourceContext, found: SiteHttpsOutput) =>
  found.https.skipped !== undefined &&
  !found.https.skipped.includes('does not resolve yet') &&
  (ctx.simulator !== undefined || ctx.aws.settings.endpoint !== undefined);

const passes = (name: string, found: SiteHttpsOutput) =>
  found.https.status === 200 && (found.http.skipped !== undefined || redirectsToHttps(found.http, name));

/** domain.site-https: deploy is done when https://<name>/ answers 200 and http://<name>/ a 301 to it. */
export function siteHttpsResource(): ResourceOf<typeof SITE_HTTPS> {
  return {
    id: SITE_HTTPS,
    title: 'Site answers over HTTPS',
    kind: 'check',
    dependsOn: [
      'domain.records',
      'domain.http-redirect',
      'domain.https-listener',
      'alb.site-health',
      'alb.load-balancer',
      'alb.listener',
    ],
    iam: [],

    discover: (ctx) => check(ctx),

    async create(ctx) {
      const { name } = checkSettings(ctx);
      let last: SiteHttpsOutput | undefined;
      try {
        return await ctx.poll(
          `https://${name}/ to answer 200 and http://${name}/ to redirect to it`,
          async () => {
            last = await check(ctx);
            if (!last) return undefined;
            if (skippedForGood(ctx, last)) {
              ctx.log.warn(`HTTPS check skipped: ${last.https.skipped}.`);
              return last;
            }
            ctx.progress(
              `https: ${last.https.status ?? last.https.error ?? last.https.skipped}, http: ${last.http.status ?? last.http.error ?? last.http.skipped}`,
            );
            return passes(name, last) ? last : undefined;
          },
          POLL,
        );
      } catch (error) {
        if (!last || (error as { code?: string }).code !== 'WAIT_TIMEOUT') throw error;
        throw ctx.error({
          code: 'DOMAIN_HTTPS_CHECK_FAILED',
          message: `https://${name}/ did not answer as it should: https ${last.https.status ?? last.https.error ?? last.https.skipped}, http ${last.http.status ?? last.http.error ?? last.http.skipped}${last.http.location ? ` → ${last.http.location}` : ''}.`,
          suggestions: [
            `Check the name servers the registrar has for the zone match Route 53's: dig NS ${ctx.outputs.get('domain.zone')?.zoneName ?? name}`,
            '`site status` shows the certificate, the listeners and the records; `site deploy` again resumes.',
          ],
          cause: error,
        });
      }
    },

    async destroy() {
      // A check: nothing to delete.
    },

    async status(_ctx, found) {
      return [
        {
          name: `GET ${found.url}`,
          id: found.url,
          state: String(found.https.status ?? found.https.error ?? 'skipped'),
          detail:
            found.https.skipped ??
            (found.http.status
              ? `http → ${found.http.status}${found.http.location ? ` ${found.http.location}` : ''}`
              : undefined),
        },
      ];
    },

    summarize: (found) => ({
      url: found.url,
      answer: found.https.skipped
        ? 'HTTPS skipped'
        : `https ${found.https.status ?? found.https.error}, http ${found.http.status ?? found.http.error ?? found.http.skipped}`,
    }),
  };
}
