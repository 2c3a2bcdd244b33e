/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin), and the declarations of the other plugins' outputs this one reads (types only: erased at
 * build time, so plugins still never load each other).
 */
import type {} from '@site-cli/plugin-alb/outputs';
import type {} from '@site-cli/plugin-compute/outputs';

export interface BucketOutput {
  bucketName: string;
  bucketArn: string;
  region: string;
}

export interface InstanceRoleOutput {
  roleName: string;
  roleArn: string;
}

export interface InstanceProfileOutput {
  instanceProfileName: string;
  instanceProfileArn: string;
}

/** What `current.json` names: the release every instance serves (or switches to). */
export interface ContentPointer {
  /** The content hash: the first 12 hex digits of the release's sha256. */
  version: string;
  /** releases/<version>.zip */
  key: string;
  /** sha256 of the release zip, hex: the instance refuses a download that does not match. */
  sha256: string;
}

export interface ContentOutput {
  bucketName: string;
  /** The pointer's key: current.json. */
  pointerKey: string;
  /** What the pointer names now; absent when no release was published yet. */
  current?: ContentPointer;
  /** Versions kept in the bucket, newest first (by upload time). */
  releases: { version: string; key: string; uploaded?: string }[];
}

/** Every target answered through the load balancer with this version. */
export interface ContentLiveOutput {
  version?: string;
  /** Each target's version as last seen through the load balancer. */
  targets: { instanceId: string; version?: string }[];
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'storage.bucket': BucketOutput;
    'storage.instance-role': InstanceRoleOutput;
    'storage.instance-profile': InstanceProfileOutput;
    'storage.content': ContentOutput;
    'storage.content-live': ContentLiveOutput;
  }
}
