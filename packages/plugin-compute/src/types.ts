/** Outputs of this plugin's resources and of the ones it reads (see docs/resource-graph.md). */

export interface AmiOutput {
  imageId: string;
  name: string;
  creationDate: string;
  /** Beyond the contract: the root device to size and encrypt (/dev/xvda on Amazon Linux). */
  rootDeviceName?: string;
}

export interface InstanceInfo {
  instanceId: string;
  availabilityZone: string;
  subnetId: string;
  state: string;
  privateIpAddress?: string;
  publicIpAddress?: string;
  publicDnsName?: string;
  /** Beyond the contract, for status and diff: */
  instanceType?: string;
  imageId?: string;
  launchTime?: string;
  fingerprint?: string;
  index?: number;
}

export interface InstancesOutput {
  /** The instances that match the configuration (the ones to serve). */
  instances: InstanceInfo[];
  /** Ids of stale or surplus instances, still running until `finalize` terminates them. */
  retiring: string[];
  fingerprint: string;
  instanceType: string;
  imageId: string;
  sshUser: string;
  /** The ssh command for the first instance, when it has a public address and the key has a .pem. */
  ssh?: string;
}

/** keypair.key-pair */
export interface KeyPairOutput {
  keyName: string;
  keyPairId: string;
  pemPath: string;
  pemPresent: boolean;
}

/** network.vpc */
export interface VpcOutput {
  vpcId: string;
  cidrBlock: string;
  subnets: { subnetId: string; availabilityZone: string }[];
}

/** network.instance-security-group */
export interface InstanceSecurityGroupOutput {
  groupId: string;
  groupName: string;
  vpcId: string;
  sshCidr: string | null;
}
