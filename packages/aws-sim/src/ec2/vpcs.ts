import type { SimContext } from '../context.js';
import { applyFilters, paginate } from '../filters.js';
import type { SubnetRec, VpcRec } from '../state.js';
import { type ActionDef, checkMaxResults, notFoundList, tagsOut } from './common.js';

function vpcOut(ctx: SimContext, v: VpcRec) {
  return {
    VpcId: v.id,
    CidrBlock: v.cidr,
    State: 'available',
    DhcpOptionsId: 'dopt-0' + v.id.slice(5, 21),
    InstanceTenancy: 'default',
    IsDefault: v.isDefault,
    OwnerId: ctx.state.accountId,
    CidrBlockAssociationSet: [
      {
        AssociationId: 'vpc-cidr-assoc-0' + v.id.slice(5, 21),
        CidrBlock: v.cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    Tags: tagsOut(ctx, v.id),
  };
}

function subnetOut(ctx: SimContext, s: SubnetRec) {
  return {
    SubnetId: s.id,
    SubnetArn: `arn:aws:ec2:${ctx.state.region}:${ctx.state.accountId}:subnet/${s.id}`,
    VpcId: s.vpcId,
    CidrBlock: s.cidr,
    AvailabilityZone: s.az,
    AvailabilityZoneId: s.azId,
    AvailableIpAddressCount: 4091 - ctx.state.instances.filter((i) => i.subnetId === s.id).length,
    DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: true,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    State: 'available',
    OwnerId: ctx.state.accountId,
    Tags: tagsOut(ctx, s.id),
  };
}

export const vpcActions: Record<string, ActionDef> = {
  DescribeVpcs: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults);
      let vpcs = ctx.state.vpcs;
      const ids: string[] = input.VpcIds ?? [];
      if (ids.length) {
        const missing = ids.filter((id) => !vpcs.some((v) => v.id === id));
        if (missing.length) throw notFoundList('InvalidVpcID.NotFound', 'vpc ID', missing);
        vpcs = vpcs.filter((v) => ids.includes(v.id));
      }
      const isDefault = (v: VpcRec) => v.isDefault;
      vpcs = applyFilters(
        vpcs,
        input.Filters,
        {
          'vpc-id': (v) => v.id,
          'is-default': isDefault,
          isDefault,
          cidr: (v) => v.cidr,
          'cidr-block-association.cidr-block': (v) => v.cidr,
          state: () => 'available',
          'owner-id': () => ctx.state.accountId,
        },
        (v) => ctx.tagsOf(v.id),
      );
      const { page, next } = paginate(vpcs, input.MaxResults, input.NextToken);
      return { Vpcs: page.map((v) => vpcOut(ctx, v)), NextToken: next };
    },
  },
  DescribeSubnets: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults);
      let subnets = ctx.state.subnets;
      const ids: string[] = input.SubnetIds ?? [];
      if (ids.length) {
        const missing = ids.filter((id) => !subnets.some((v) => v.id === id));
        if (missing.length) throw notFoundList('InvalidSubnetID.NotFound', 'subnet ID', missing);
        subnets = subnets.filter((v) => ids.includes(v.id));
      }
      const dfa = (s: SubnetRec) => s.defaultForAz;
      subnets = applyFilters(
        subnets,
        input.Filters,
        {
          'vpc-id': (s) => s.vpcId,
          'subnet-id': (s) => s.id,
          'availability-zone': (s) => s.az,
          'availability-zone-id': (s) => s.azId,
          'default-for-az': dfa,
          defaultForAz: dfa,
          'cidr-block': (s) => s.cidr,
          cidrBlock: (s) => s.cidr,
          state: () => 'available',
          'map-public-ip-on-launch': () => true,
          'owner-id': () => ctx.state.accountId,
        },
        (s) => ctx.tagsOf(s.id),
      );
      const { page, next } = paginate(subnets, input.MaxResults, input.NextToken);
      return { Subnets: page.map((s) => subnetOut(ctx, s)), NextToken: next };
    },
  },
  DescribeAvailabilityZones: {
    mutating: false,
    fn(ctx, input) {
      const region = ctx.state.region;
      let zones = ctx.state.subnets
        .filter((s) => s.defaultForAz)
        .map((s) => ({
          ZoneName: s.az,
          ZoneId: s.azId,
          State: 'available',
          RegionName: region,
          GroupName: region,
          NetworkBorderGroup: region,
          OptInStatus: 'opt-in-not-required',
          ZoneType: 'availability-zone',
          Messages: [],
        }));
      const names: string[] = input.ZoneNames ?? [];
      const zoneIds: string[] = input.ZoneIds ?? [];
      for (const n of names)
        if (!zones.some((z) => z.ZoneName === n))
          throw Object.assign(notFoundList('InvalidParameterValue', 'Availability Zone', [n]), {});
      if (names.length) zones = zones.filter((z) => names.includes(z.ZoneName));
      if (zoneIds.length) zones = zones.filter((z) => zoneIds.includes(z.ZoneId));
      zones = applyFilters(zones, input.Filters, {
        'zone-name': (z) => z.ZoneName,
        'zone-id': (z) => z.ZoneId,
        state: (z) => z.State,
        'region-name': (z) => z.RegionName,
        'zone-type': (z) => z.ZoneType,
        'group-name': (z) => z.GroupName,
        'opt-in-status': (z) => z.OptInStatus,
      });
      return { AvailabilityZones: zones };
    },
  },
};
