import { ExitCode, SiteError } from '../errors.js';
import type { Plan } from '../graph/planner.js';
import {
  HOURS_PER_MONTH,
  type CostUsage,
  type RegisteredResource,
  type ResourceContext,
} from '../graph/resource.js';
import { findPrice, loadSnapshot, snapshotDate, type LoadedSnapshot } from './snapshot.js';

/** One priced line: rate × quantity. */
export interface CostLine {
  resourceId: string;
  item: string;
  /** Units a month, in `unit`. */
  quantity: number;
  /** The Price List's unit: 'Hrs', 'GB-Mo', 'LCU-Hrs'… */
  unit: string;
  /** USD per unit; null when the snapshot has no price for it. */
  rate: number | null;
  /** rate × quantity, USD a month (to 1/10000 of a dollar); null when unpriced. */
  monthly: number | null;
  /** The Price List product the rate comes from. */
  sku?: string;
  usagetype?: string;
  assumption?: string;
}

export interface CostEstimate {
  region: string;
  currency: 'USD';
  hoursPerMonth: number;
  /** The Price List date the rates are of (its publication date, else when the snapshot was made). */
  pricesAsOf: string;
  snapshot: { file: string; origin: LoadedSnapshot['origin']; source: string };
  lines: CostLine[];
  /** Sum of the lines' monthly amounts, USD. */
  total: number;
  /** What could not be priced (no such price in the snapshot): the total leaves it out. */
  unpriced: string[];
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** USD, as the user reads it: $7.59, $0.0037 for amounts under a cent. */
export function formatUsd(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}$${abs !== 0 && abs < 0.01 ? abs.toFixed(4) : abs.toFixed(2)}`;
}

/** What a price is, in words, for an unpriced line: 't3.micro instance (ec2-instance)'. */
function describeQuery(price: CostUsage['price']): string {
  const detail = price.instanceType ?? price.volumeType ?? price.storageClass;
  return detail ? `${price.kind} ${detail}` : price.kind;
}

/** Price usage lines from the snapshot. */
export function priceUsage(
  loaded: LoadedSnapshot,
  region: string,
  usage: readonly (CostUsage & { resourceId: string })[],
): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  for (const use of usage) {
    const price = findPrice(loaded.snapshot, region, use.price);
    const quantity = round(use.per === 'hour' ? use.units * HOURS_PER_MONTH : use.units);
    if (!price) unpriced.push(`${describeQuery(use.price)} in ${region}`);
    const rate = price ? Number(price.pricePerUnit) : null;
    lines.push({
      resourceId: use.resourceId,
      item: use.item,
      quantity,
      unit: price?.unit ?? (use.per === 'hour' ? 'Hrs' : 'units'),
      rate,
      monthly: rate === null ? null : round(rate * quantity),
      ...(price ? { sku: price.sku, usagetype: price.usagetype } : {}),
      ...(use.assumption ? { assumption: use.assumption } : {}),
    });
  }
  const total = round(lines.reduce((sum, line) => sum + (line.monthly ?? 0), 0));
  return {
    region,
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    pricesAsOf: snapshotDate(loaded.snapshot),
    snapshot: { file: loaded.file, origin: loaded.origin, source: loaded.snapshot.source },
    lines,
    total,
    unpriced: [...new Set(unpriced)],
  };
}

/** Each resource's cost usage, over what exists (`found`) or as configured (`found` undefined). */
export function resourceUsage(
  resources: readonly RegisteredResource[],
  context: (resourceId: string) => ResourceContext,
  pick: (resource: RegisteredResource) => { found: unknown } | undefined,
): (CostUsage & { resourceId: string })[] {
  const usage: (CostUsage & { resourceId: string })[] = [];
  for (const resource of resources) {
    if (!resource.cost) continue;
    const chosen = pick(resource);
    if (!chosen) continue;
    for (const line of resource.cost(context(resource.id), chosen.found))
      usage.push({ ...line, resourceId: resource.id });
  }
  return usage;
}

/** The error `site cost` gives when no snapshot is installed. */
export function noSnapshotError(): SiteError {
  return new SiteError({
    code: 'PRICE_SNAPSHOT_MISSING',
    message: 'No AWS price snapshot is installed, so site cannot price the site.',
    suggestions: [
      'Run `site cost --refresh` to fetch the prices from the AWS Price List Query API (needs AWS credentials; pricing:GetProducts).',
    ],
    exitCode: ExitCode.failure,
  });
}

/** The plan's estimate: what the site costs now and after deploy applies the plan. */
export type PlanEstimate =
  | { available: true; now: CostEstimate; after: CostEstimate; difference: number }
  | { available: false; reason: string; suggestion: string };

/**
 * What the site would cost a month once the plan is applied, what it costs now, and the difference. Never
 * throws for want of prices: a plan is still a plan without them.
 */
export async function estimatePlan(
  plan: Plan,
  options: {
    dataDir: string;
    region: string;
    resources: readonly RegisteredResource[];
    context: (resourceId: string) => ResourceContext;
    shipped?: string;
  },
): Promise<PlanEstimate> {
  let loaded: LoadedSnapshot | undefined;
  try {
    loaded = await loadSnapshot(options.dataDir, options.shipped);
  } catch (error) {
    return { available: false, reason: (error as Error).message, suggestion: 'site cost --refresh' };
  }
  if (!loaded)
    return {
      available: false,
      reason: 'no AWS price snapshot is installed',
      suggestion: 'site cost --refresh',
    };
  let nowEstimate: CostEstimate;
  let afterEstimate: CostEstimate;
  try {
    const action = new Map(plan.steps.map((step) => [step.resourceId, step.action]));
    const now = resourceUsage(options.resources, options.context, (resource) =>
      plan.found.has(resource.id) && (resource.kind ?? 'managed') === 'managed'
        ? { found: plan.found.get(resource.id) }
        : undefined,
    );
    const after = resourceUsage(options.resources, options.context, (resource) => {
      switch (action.get(resource.id)) {
        case 'keep':
          return { found: plan.found.get(resource.id) };
        case 'create':
        case 'update':
        case 'replace':
          return { found: undefined };
        default:
          return undefined;
      }
    });
    nowEstimate = priceUsage(loaded, options.region, now);
    afterEstimate = priceUsage(loaded, options.region, after);
  } catch (error) {
    // A plugin's cost hook that throws costs the plan its estimate, never the plan itself.
    return {
      available: false,
      reason: `it could not be made: ${(error as Error).message}`,
      suggestion: 'site cost',
    };
  }
  return {
    available: true,
    now: nowEstimate,
    after: afterEstimate,
    difference: round(afterEstimate.total - nowEstimate.total),
  };
}
