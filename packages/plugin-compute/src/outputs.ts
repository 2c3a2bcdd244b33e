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

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'compute.ami': AmiOutput;
    'compute.instances': InstancesOutput;
  }
}
