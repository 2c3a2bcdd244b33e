import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';
import type { InstanceInfo } from '../../outputs.js';

export interface InstanceStatusRow {
  instanceId: string;
  index?: number;
  state: string;
  instanceType?: string;
  availabilityZone: string;
  publicIpAddress?: string;
  publicDnsName?: string;
  launchTime?: string;
  fingerprint: 'current' | 'stale';
}

export default class InstanceStatus extends SiteCommand {
  static override summary = "Show the site's EC2 instances.";
  static override description =
    'Lists every instance tagged for this site: state, type, availability zone, public address, launch time, and whether it matches the configuration (fingerprint current) or will be replaced on the next deploy (stale).';
  static override examples = [
    '<%= config.bin %> instance status',
    '<%= config.bin %> instance status --json',
  ];
  static override flags = { ...awsFlags };

  async run(): Promise<{ instances: InstanceStatusRow[] }> {
    const { flags } = await this.parse(InstanceStatus);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      const [{ describeSiteInstances }, { toInfo }] = await Promise.all([
        import('../../instances/find.js'),
        import('../../instances/status.js'),
      ]);
      const { desiredSpec } = await import('../../spec.js');
      const ctx = session.context();
      const [instances, spec] = await Promise.all([describeSiteInstances(ctx), desiredSpec(ctx)]);
      const rows = instances
        .map(toInfo)
        .sort(
          (a, b) =>
            (a.index ?? 99) - (b.index ?? 99) || (a.launchTime ?? '').localeCompare(b.launchTime ?? ''),
        )
        .map((info: InstanceInfo): InstanceStatusRow => ({
          instanceId: info.instanceId,
          index: info.index,
          state: info.state,
          instanceType: info.instanceType,
          availabilityZone: info.availabilityZone,
          publicIpAddress: info.publicIpAddress,
          publicDnsName: info.publicDnsName,
          launchTime: info.launchTime,
          fingerprint: info.fingerprint === spec.fingerprint ? 'current' : 'stale',
        }));
      if (rows.length === 0) {
        this.log(
          `No instances found for site ${session.config.name} in ${session.config.region}. Run \`site deploy\` to create them.`,
        );
      } else {
        this.log(
          core.table(
            rows.map((r) => ({
              instance: r.instanceId,
              state: r.state,
              type: r.instanceType ?? '',
              az: r.availabilityZone,
              'public ip': r.publicIpAddress ?? '-',
              launched: r.launchTime ?? '',
              fingerprint: r.fingerprint,
            })),
          ),
        );
      }
      return { instances: rows };
    } finally {
      await session.close();
    }
  }
}
