import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';
import { pemPathFor } from '../pem.js';
import { KEY_PAIR } from '../key-pair/find.js';
import { pemState } from '../key-pair/status.js';

/** One row of `site keypair list`. */
export interface KeyPairListing {
  site: string;
  keyName: string;
  keyPairId: string;
  keyType?: string;
  fingerprint?: string;
  created?: string;
  pemPath: string;
  /** The private key of this pair is at pemPath (proven by the pair's public key, not just a file of its name). */
  pemPresent: boolean;
}

/**
 * The key pairs of this site, or with `all` every key pair ManagedBy=site in the region,
 * with the site each belongs to and whether its private key is in this key folder.
 */
export async function listKeyPairs(
  ctx: ResourceContext,
  options: { all?: boolean } = {},
): Promise<KeyPairListing[]> {
  const ec2 = await ctx.aws.ec2();
  const filters = options.all
    ? [
        { Name: 'tag:ManagedBy', Values: ['site'] },
        { Name: 'tag:site:resource', Values: [KEY_PAIR] },
      ]
    : ctx.tags.resourceFilters(KEY_PAIR);
  // One call: DescribeKeyPairs is not paginated (no NextToken in AWS's API, so the SDK has no paginator).
  const result = await ec2.describeKeyPairs({ Filters: filters, IncludePublicKey: true });
  const rows = await Promise.all(
    (result.KeyPairs ?? []).map(async (pair): Promise<KeyPairListing> => {
      const keyName = pair.KeyName ?? '';
      const pemPath = pemPathFor(ctx, keyName);
      return {
        site: ctx.tags.toRecord(pair.Tags)['site:name'] ?? '',
        keyName,
        keyPairId: pair.KeyPairId ?? '',
        keyType: pair.KeyType,
        fingerprint: pair.KeyFingerprint,
        created: pair.CreateTime?.toISOString(),
        pemPath,
        pemPresent: (await pemState(pemPath, pair)) === 'match',
      };
    }),
  );
  return rows.sort((a, b) => a.site.localeCompare(b.site) || a.keyName.localeCompare(b.keyName));
}

/** Instances of this site (not terminated) launched with `keyName`, all pages. */
export async function instancesUsingKey(ctx: ResourceContext, keyName: string): Promise<string[]> {
  const [ec2, { paginateDescribeInstances }] = await Promise.all([
    ctx.aws.ec2(),
    import('@aws-sdk/client-ec2'),
  ]);
  const pages = paginateDescribeInstances(
    { client: ec2 },
    {
      Filters: [
        ...ctx.tags.siteFilters(),
        { Name: 'key-name', Values: [keyName] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    },
  );
  const instances = await allPages(pages, (page) => page.Reservations?.flatMap((r) => r.Instances ?? []));
  return instances.flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));
}
