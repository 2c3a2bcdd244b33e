/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin), and the declarations of the other plugins' outputs this one reads (types only: erased at
 * build time, so plugins still never load each other).
 */
import type {} from '@site-cli/plugin-keypair/outputs';
import type {} from '@site-cli/plugin-network/outputs';

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

/**
 * How to launch one of the site's instances, for an Auto Scaling launch template: the RunInstances request of
 * compute.instances without what is per instance (index, token, subnet) or owned by another resource (the key
 * pair, the security group). Present only with `instance.scaling`.
 */
export interface LaunchSpecOutput {
  imageId: string;
  instanceType: string;
  /** base64, as RunInstances and launch templates take it. */
  userData: string;
  blockDeviceMappings: {
    deviceName: string;
    ebs: { volumeSize: number; volumeType: string; encrypted: boolean; deleteOnTermination: boolean };
  }[];
  /** IMDSv2 required. */
  metadataOptions: { httpTokens: string; httpEndpoint: string; httpPutResponseHopLimit: number };
  iamInstanceProfile?: { arn?: string; name?: string };
  /** The VPC's subnets in the zones that offer the instance type, one per zone. */
  subnetIds: string[];
  /** The spec's own tags each instance carries (site:fingerprint, site:template, …), beyond the ownership tags. */
  tags: Record<string, string>;
  /** Changes exactly when compute.instances would replace its instances. */
  fingerprint: string;
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'compute.ami': AmiOutput;
    'compute.launch-spec': LaunchSpecOutput;
    'compute.instances': InstancesOutput;
  }
}
