/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin). Other plugins import this file's declarations as types only: `import type {} from
 * '@site-cli/plugin-network/outputs'`.
 */

export interface VpcOutput {
  vpcId: string;
  cidrBlock: string;
  /** One subnet per availability zone, sorted by zone; at least two. */
  subnets: { subnetId: string; availabilityZone: string }[];
}

export interface PublicIpOutput {
  /** The CIDR SSH is allowed from; null = no SSH rule. */
  sshCidr: string | null;
  source: 'detected' | 'config' | 'none' | 'lookup-failed';
}

export interface AlbSecurityGroupOutput {
  groupId: string;
  groupName: string;
  vpcId: string;
}

export interface InstanceSecurityGroupOutput {
  groupId: string;
  groupName: string;
  vpcId: string;
  /** The CIDR SSH is allowed from, or null when there is no SSH rule. */
  sshCidr: string | null;
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'network.vpc': VpcOutput;
    'network.public-ip': PublicIpOutput;
    'network.alb-security-group': AlbSecurityGroupOutput;
    'network.instance-security-group': InstanceSecurityGroupOutput;
  }
}
