import { translateError } from '../aws/errors.js';
import { ExitCode, isSiteError, SiteError } from '../errors.js';
import type { CoreSession } from '../session/core-session.js';
import { type CostEstimate, noSnapshotError, priceUsage, resourceUsage } from './estimate.js';
import { refreshSnapshot } from './refresh.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';

export interface SiteCostResult extends CostEstimate {
  site: string;
  /** Set when --refresh fetched new prices: where they were written and how many Price List products were read. */
  refreshed?: { file: string; products: number; prices: number };
}

/**
 * `site cost`: what the deployed site costs a month, itemised, from the price snapshot. With `refresh`, first
 * fetch the region's prices from the Price List Query API into the user's snapshot.
 */
export async function siteCost(
  session: CoreSession,
  options: { dataDir: string; refresh?: boolean; shipped?: string },
): Promise<SiteCostResult> {
  const region = session.config.region;
  let refreshed: SiteCostResult['refreshed'];
  if (options.refresh) {
    const current = await loadSnapshot(options.dataDir, options.shipped);
    const base = current?.origin === 'refreshed' ? current.snapshot : undefined;
    const { snapshot, products } = await refreshSnapshot(session.aws, [region], { base }).catch(
      (error: unknown) => {
        throw explainRefreshFailure(error);
      },
    );
    const file = await saveSnapshot(options.dataDir, snapshot);
    refreshed = { file, products, prices: snapshot.prices.filter((p) => p.regionCode === region).length };
  }
  const loaded = await loadSnapshot(options.dataDir, options.shipped);
  if (!loaded) throw noSnapshotError();
  const found = await session.discover();
  const context = session.contextFor(new Map(found));
  const usage = resourceUsage(
    session.registry.resources,
    () => context,
    (resource) =>
      found.has(resource.id) && (resource.kind ?? 'managed') === 'managed'
        ? { found: found.get(resource.id as never) }
        : undefined,
  );
  return {
    site: session.config.name,
    ...priceUsage(loaded, region, usage),
    ...(refreshed ? { refreshed } : {}),
  };
}

/** Without credentials, say why a price look-up needs them and what works without. */
function explainRefreshFailure(error: unknown): unknown {
  const translated = translateError(error);
  if (!isSiteError(translated) || translated.code !== 'AWS_NO_CREDENTIALS') return translated;
  return new SiteError({
    code: translated.code,
    message:
      "`site cost --refresh` reads AWS's prices from the Price List Query API, which answers signed requests only " +
      `(any identity allowed pricing:GetProducts; the prices are the same for every account). ${translated.message}`,
    suggestions: [
      ...translated.suggestions.filter((s) => !s.includes('--sandbox')),
      'Or price with the snapshot already installed: `site cost` without --refresh.',
    ],
    exitCode: ExitCode.usage,
    details: translated.details,
    cause: error,
  });
}
