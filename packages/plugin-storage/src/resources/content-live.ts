import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';
import type { ContentLiveOutput } from '../outputs.js';
import { reachSite, versionsByTarget } from '../reach.js';

export const RESOURCE_ID = 'storage.content-live';

/** Each instance polls the pointer every 2 s: a switch takes a poll plus a download. */
const LIVE_POLL = { initialDelayMs: 500, factor: 1.3, maxDelayMs: 2000, timeoutMs: 5 * 60_000 };
/**
 * Answers that never name their instance come from instances that do not run site's content sync (a custom
 * instance.userDataFile, or a simulator without the storage instance model): after this many rounds of them,
 * stop waiting and say so rather than time out on something that cannot happen.
 */
const ANONYMOUS_ROUNDS_MAX = 8;

function describe(targets: ContentLiveOutput['targets']): string {
  return targets.map((t) => `${t.instanceId}: ${t.version ?? 'not seen'}`).join(', ');
}

/**
 * Wait until every registered target, read through the load balancer, serves `version`. Targets are told apart
 * by the X-Site-Instance header each instance adds. `onProgress` hears how many serve it so far.
 */
export async function waitUntilLive(
  ctx: ResourceContext,
  url: string,
  instanceIds: readonly string[],
  version: string,
): Promise<ContentLiveOutput> {
  if (ctx.config.instance.userDataFile !== undefined) {
    ctx.log.warn(
      `Not waiting for every target to serve version ${version}: instance.userDataFile replaces site's user data, so the instances run no content sync unless your file does.`,
    );
    return { version, targets: instanceIds.map((instanceId) => ({ instanceId })) };
  }
  const reach = await reachSite(ctx, url);
  if ('skipped' in reach) {
    ctx.log.warn(`Not waiting for every target to serve version ${version}: ${reach.skipped}.`);
    return { version, targets: instanceIds.map((instanceId) => ({ instanceId })) };
  }
  const seen = new Map<string, string | undefined>();
  const targets = () => instanceIds.map((instanceId) => ({ instanceId, version: seen.get(instanceId) }));
  let anonymousRounds = 0;
  try {
    return await ctx.poll(
      `every target to serve version ${version}`,
      async () => {
        const round = await versionsByTarget(reach.fetchUrl, instanceIds.length);
        for (const [id, answer] of round.byTarget) seen.set(id, answer.version);
        anonymousRounds = round.byTarget.size === 0 && round.anonymous > 0 ? anonymousRounds + 1 : 0;
        if (anonymousRounds >= ANONYMOUS_ROUNDS_MAX) {
          ctx.log.warn(
            `Not waiting for every target to serve version ${version}: the site answers without the X-Site-Instance header, so its instances run no content sync site can follow (a simulator without it?).`,
          );
          return { version, targets: targets() };
        }
        const serving = instanceIds.filter((id) => seen.get(id) === version).length;
        ctx.progress(`${serving}/${instanceIds.length} targets serve ${version}`);
        return serving === instanceIds.length ? { version, targets: targets() } : undefined;
      },
      LIVE_POLL,
    );
  } catch (error) {
    if (!isWaitTimeout(error)) throw error;
    throw ctx.error({
      code: 'CONTENT_NOT_LIVE',
      message: `Not every target serves version ${version} yet (${describe(targets())}).`,
      suggestions: [
        "Run `site logs` to see each instance's setup and content switch log.",
        'Run `site deploy` again to keep waiting; the pointer already names the new version.',
      ],
      details: { version, targets: targets() },
      cause: error,
    });
  }
}

/** storage.content-live: deploy is done when every target serves the current version, read through the load balancer. */
export function contentLiveResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Every target serves the content',
    kind: 'check',
    dependsOn: ['storage.content', 'alb.site-health', 'alb.targets'],
    iam: [],

    /** One round of requests (for `site status`). */
    async discover(ctx) {
      const content = ctx.outputs.get('storage.content');
      const health = ctx.outputs.get('alb.site-health');
      const targets = ctx.outputs.get('alb.targets');
      if (!content?.current || !health || !targets) return undefined;
      const reach = await reachSite(ctx, health.url);
      if ('skipped' in reach) return undefined;
      const { byTarget } = await versionsByTarget(reach.fetchUrl, targets.instanceIds.length);
      return {
        version: content.current.version,
        targets: targets.instanceIds.map((instanceId) => ({
          instanceId,
          version: byTarget.get(instanceId)?.version,
        })),
      };
    },

    async create(ctx) {
      const content = ctx.outputs.require('storage.content');
      const health = ctx.outputs.require('alb.site-health');
      const targets = ctx.outputs.require('alb.targets');
      if (!content.current) throw new Error('storage.content has no current version after its deploy');
      return waitUntilLive(ctx, health.url, targets.instanceIds, content.current.version);
    },

    async destroy() {
      // A check owns nothing.
    },

    async status(_ctx, found) {
      return found.targets.map((t) => ({
        name: 'serves',
        id: t.instanceId,
        state:
          t.version === found.version
            ? `version ${t.version}`
            : `version ${t.version ?? 'unknown'} (not current)`,
      }));
    },

    // Targets seen serving it: 0/1 when the wait was skipped (an emulator, a custom user data file).
    summarize: (found) => ({
      contentVersion: found.version,
      targetsServing: `${found.targets.filter((t) => t.version === found.version).length}/${found.targets.length}`,
    }),
  };
}
