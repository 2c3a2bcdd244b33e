import type { CostEstimate, PlanEstimate, SiteCostResult } from '@site-cli/core';

/** Rates have up to 10 decimals in the Price List: show what is there, no trailing zeros. */
function rate(value: number): string {
  return `$${Number(value.toFixed(10))}`;
}

/** The price source, in one line: "AWS Price List prices of 2026-11-30 (refreshed snapshot ~/…/prices.json)". */
export function pricesLine(estimate: CostEstimate): string {
  return `AWS Price List prices of ${estimate.pricesAsOf}, ${estimate.region}, on demand (${estimate.snapshot.origin} snapshot ${estimate.snapshot.file})`;
}

/** `site cost`: every line as rate × quantity, the total, the assumptions, the prices' date. */
export async function renderCost(result: SiteCostResult): Promise<string> {
  const { table, formatUsd } = await import('@site-cli/core');
  const lines: string[] = [];
  if (result.refreshed)
    lines.push(
      `Prices refreshed: ${result.refreshed.prices} prices for ${result.region} from ${result.refreshed.products} Price List products, written to ${result.refreshed.file}.`,
      '',
    );
  if (result.lines.length === 0) {
    lines.push(
      `Nothing of the site "${result.site}" exists in ${result.region}: it costs nothing. Run \`site deploy\`.`,
    );
    lines.push(`(${pricesLine(result)})`);
    return lines.join('\n');
  }
  const rows = result.lines.map((line) => ({
    item: line.item + (line.assumption ? ' *' : ''),
    quantity: `${line.quantity} ${line.unit}`,
    rate: line.rate === null ? 'no price' : `${rate(line.rate)}/${line.unit}`,
    monthly: line.monthly === null ? '-' : formatUsd(line.monthly),
  }));
  // A space, not '': the table shows an empty cell as '-'.
  rows.push({
    item: result.unpriced.length > 0 ? 'Total a month, unpriced lines left out' : 'Total a month',
    quantity: ' ',
    rate: ' ',
    monthly: formatUsd(result.total),
  });
  lines.push(
    `Monthly cost of the site "${result.site}":`,
    '',
    table(rows, ['item', 'quantity', 'rate', 'monthly']),
    '',
  );
  for (const line of result.lines.filter((l) => l.assumption))
    lines.push(`* ${line.item}: ${line.assumption}.`);
  lines.push(
    `${pricesLine(result)}. A month is ${result.hoursPerMonth} hours; data transfer is not included.`,
  );
  return lines.join('\n');
}

/** The plan's last lines: the monthly estimate after the change, and the difference. */
export async function renderPlanEstimate(estimate: PlanEstimate): Promise<string> {
  const { formatUsd } = await import('@site-cli/core');
  if (!estimate.available)
    return `Monthly estimate: none, ${estimate.reason}. Run \`${estimate.suggestion}\` to fetch AWS's prices.`;
  const difference = estimate.difference;
  const change =
    difference === 0
      ? 'no change'
      : `${difference > 0 ? '+' : '-'}${formatUsd(Math.abs(difference))} a month`;
  const lines = [
    `Monthly estimate after this change: ${formatUsd(estimate.after.total)} (now ${formatUsd(estimate.now.total)}; ${change}).`,
    `  ${pricesLine(estimate.after)}; \`site cost\` itemises it.`,
  ];
  const assumed = estimate.after.lines.filter((line) => line.assumption);
  if (assumed.length > 0)
    lines.push(`  Assumed: ${assumed.map((l) => `${l.item}: ${l.assumption}`).join('; ')}.`);
  if (estimate.after.unpriced.length > 0)
    lines.push(`  Not priced (no such price in the snapshot): ${estimate.after.unpriced.join('; ')}.`);
  return lines.join('\n');
}
