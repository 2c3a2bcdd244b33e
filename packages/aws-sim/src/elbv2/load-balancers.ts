import type { SimContext } from '../context.js';
import { type ActionDef, NO_CHANGE } from '../service.js';
import { err } from '../errors.js';
import { paginate } from '../filters.js';
import { SIM_DNS_ZONE } from '../ids.js';
import type { LoadBalancerRec } from '../state.js';
import { checkQuota } from './account-limits.js';
import { dropRulesOf } from './rules.js';
import { checkArn, checkTags, findLb, pageSize, validateName, validation } from './common.js';

/**
 * The Route 53 hosted zone of Application Load Balancers per region (AWS General Reference, "Elastic Load
 * Balancing endpoints and quotas", the Application and Classic column): what an alias record must name.
 */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'ca-central-1': 'ZQSVJUPU6J1EY',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-west-3': 'Z3Q77PNBQS71R4',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'eu-north-1': 'Z23TAZ7KCN7U1C',
  'ap-south-1': 'ZP97RAFLXTNZK',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ap-northeast-2': 'ZWKZPGTI48KDX',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'sa-east-1': 'Z2P70J7HTTTPLU',
};

/** The hosted zone id of the region's load balancers (us-east-1's for a region the table lacks). */
export function canonicalHostedZoneId(region: string): string {
  return HOSTED_ZONES[region] ?? HOSTED_ZONES['us-east-1']!;
}

/** Every region's load balancer zone: an alias naming one of them targets a load balancer. */
export const LOAD_BALANCER_ZONES: ReadonlySet<string> = new Set(Object.values(HOSTED_ZONES));

const LB_ATTRIBUTES: Record<string, string> = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'connection_logs.s3.enabled': 'false',
  'connection_logs.s3.bucket': '',
  'connection_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
  'idle_timeout.timeout_seconds': '60',
  'client_keep_alive.seconds': '3600',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http2.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'zonal_shift.config.enabled': 'false',
};

export function lbOut(ctx: SimContext, lb: LoadBalancerRec) {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(ctx.state.region),
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: ctx.lbState(lb) },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((s) => ({
      ZoneName: s.az,
      SubnetId: s.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: lb.sgIds,
    IpAddressType: lb.ipAddressType,
  };
}

export const loadBalancerActions: Record<string, ActionDef> = {
  CreateLoadBalancer: {
    mutating: true,
    fn(ctx, input) {
      const name = validateName(input.Name, 'load balancer');
      const type = input.Type ?? 'application';
      if (type !== 'application')
        throw validation(`aws-sim supports only application load balancers, not '${type}'`);
      const scheme = input.Scheme ?? 'internet-facing';
      if (!['internet-facing', 'internal'].includes(scheme))
        throw validation(`Scheme '${scheme}' is not valid`);
      const subnetIds: string[] = [
        ...(input.Subnets ?? []),
        ...((input.SubnetMappings ?? []) as any[]).map((m) => m.SubnetId),
      ];
      if (!subnetIds.length)
        throw validation('At least two subnets in two different Availability Zones must be specified');
      const subnets = subnetIds.map((id) => {
        const s = ctx.state.subnets.find((x) => x.id === id);
        if (!s) throw err('SubnetNotFound', `The subnet ID '${id}' is not valid`);
        return s;
      });
      const azs = new Set(subnets.map((s) => s.az));
      if (azs.size !== subnets.length)
        throw validation('You cannot specify multiple subnets in the same Availability Zone');
      if (azs.size < 2)
        throw validation('At least two subnets in two different Availability Zones must be specified');
      const vpcId = subnets[0]!.vpcId;
      if (subnets.some((s) => s.vpcId !== vpcId))
        throw err('InvalidSubnet', 'The specified subnets must belong to the same VPC');
      let sgIds: string[] = input.SecurityGroups ?? [];
      for (const id of sgIds) {
        const g = ctx.state.securityGroups.find((x) => x.id === id);
        if (!g || g.vpcId !== vpcId)
          throw err('InvalidSecurityGroup', `Security group '${id}' does not exist`);
      }
      if (!sgIds.length)
        sgIds = [ctx.state.securityGroups.find((g) => g.vpcId === vpcId && g.name === 'default')!.id];
      checkTags(input.Tags);
      const ipAddressType = input.IpAddressType ?? 'ipv4';
      const existing = ctx.state.loadBalancers.find((l) => l.name === name);
      if (existing) {
        const same =
          existing.scheme === scheme &&
          existing.ipAddressType === ipAddressType &&
          JSON.stringify([...existing.subnets.map((s) => s.subnetId)].sort()) ===
            JSON.stringify([...subnetIds].sort()) &&
          JSON.stringify([...existing.sgIds].sort()) === JSON.stringify([...sgIds].sort());
        if (!same)
          throw err(
            'DuplicateLoadBalancerName',
            `A load balancer with the same name '${name}' exists, but with different settings`,
          );
        return { LoadBalancers: [lbOut(ctx, existing)], [NO_CHANGE]: true };
      }
      checkQuota(ctx, 'load balancer');
      const suffix = ctx.ids.arnSuffix();
      const digits = String(Number('1' + ctx.ids.digits(9)));
      // AWS's shape under a zone that never resolves: the data plane maps it to a loopback port instead.
      const lb: LoadBalancerRec = {
        arn: `arn:aws:elasticloadbalancing:${ctx.state.region}:${ctx.state.accountId}:loadbalancer/app/${name}/${suffix}`,
        name,
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${ctx.state.region}.elb.${SIM_DNS_ZONE}`,
        scheme,
        type,
        ipAddressType,
        vpcId,
        subnets: subnets.map((s) => ({ subnetId: s.id, az: s.az })),
        sgIds: [...new Set(sgIds)],
        attributes: { ...LB_ATTRIBUTES },
        createdAt: ctx.now(),
      };
      ctx.state.loadBalancers.push(lb);
      ctx.setTags(lb.arn, input.Tags);
      return { LoadBalancers: [lbOut(ctx, lb)] };
    },
  },
  DescribeLoadBalancers: {
    mutating: false,
    fn(ctx, input) {
      let lbs = ctx.state.loadBalancers;
      const arns: string[] = input.LoadBalancerArns ?? [];
      const names: string[] = input.Names ?? [];
      if (arns.length && names.length)
        throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
      if (arns.length) {
        arns.forEach((a) => checkArn(a, 'loadbalancer'));
        if (arns.some((a) => !lbs.some((l) => l.arn === a && !ctx.fresh(l.createdAt))))
          throw err('LoadBalancerNotFound', 'One or more load balancers not found');
        lbs = lbs.filter((l) => arns.includes(l.arn));
      }
      if (names.length) {
        const missing = names.filter((n) => !lbs.some((l) => l.name === n && !ctx.fresh(l.createdAt)));
        if (missing.length)
          throw err('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
        lbs = lbs.filter((l) => names.includes(l.name));
      }
      lbs = lbs.filter((l) => !ctx.fresh(l.createdAt));
      const { page, next } = paginate(lbs, pageSize(input.PageSize), input.Marker, 'ValidationError');
      return { LoadBalancers: page.map((l) => lbOut(ctx, l)), NextMarker: next };
    },
  },
  DescribeLoadBalancerAttributes: {
    mutating: false,
    fn(ctx, input) {
      const lb = findLb(ctx, input.LoadBalancerArn);
      return { Attributes: Object.entries(lb.attributes).map(([Key, Value]) => ({ Key, Value })) };
    },
  },
  ModifyLoadBalancerAttributes: {
    mutating: true,
    fn(ctx, input) {
      const lb = findLb(ctx, input.LoadBalancerArn);
      const attrs: { Key?: string; Value?: string }[] = input.Attributes ?? [];
      if (!attrs.length)
        throw validation(
          "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
        );
      for (const a of attrs) {
        if (!a.Key || !(a.Key in LB_ATTRIBUTES))
          throw validation(`Load balancer attribute key '${a.Key}' is not recognized`);
        if (a.Key.endsWith('.enabled') && !['true', 'false'].includes(a.Value ?? ''))
          throw validation(
            `Load balancer attribute value '${a.Value}' for key '${a.Key}' is not valid. It must be either 'true' or 'false'`,
          );
        if (a.Key === 'idle_timeout.timeout_seconds' && !(Number(a.Value) >= 1 && Number(a.Value) <= 4000))
          throw validation(`Idle timeout must be between 1 and 4000 seconds`);
      }
      for (const a of attrs) lb.attributes[a.Key!] = a.Value ?? '';
      return { Attributes: Object.entries(lb.attributes).map(([Key, Value]) => ({ Key, Value })) };
    },
  },
  DeleteLoadBalancer: {
    mutating: true,
    fn(ctx, input) {
      const arn: string | undefined = input.LoadBalancerArn;
      if (!arn)
        throw validation(
          "1 validation error detected: Value null at 'loadBalancerArn' failed to satisfy constraint: Member must not be null",
        );
      checkArn(arn, 'loadbalancer');
      const lb = ctx.state.loadBalancers.find((l) => l.arn === arn);
      if (!lb) return { [NO_CHANGE]: true }; // AWS: deleting an unknown or deleted load balancer succeeds
      if (lb.attributes['deletion_protection.enabled'] === 'true')
        throw err(
          'OperationNotPermitted',
          `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`,
        );
      for (const l of ctx.state.listeners.filter((x) => x.lbArn === arn)) delete ctx.state.tags[l.arn];
      dropRulesOf(
        ctx,
        ctx.state.listeners.filter((x) => x.lbArn === arn).map((x) => x.arn),
      );
      ctx.state.listeners = ctx.state.listeners.filter((l) => l.lbArn !== arn);
      for (const tg of ctx.state.targetGroups) if (tg.attachedSince) delete tg.attachedSince[arn];
      ctx.state.loadBalancers = ctx.state.loadBalancers.filter((l) => l !== lb);
      delete ctx.state.tags[arn];
      // Its network interfaces linger and keep the security groups in use for a while.
      ctx.state.eniHolds.push({ sgIds: lb.sgIds, releaseAt: ctx.now() + ctx.profile.albEniReleaseMs });
      return {};
    },
  },
};
