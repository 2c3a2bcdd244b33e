/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin), and the declarations of the other plugins' outputs this one reads (types only: erased at
 * build time, so plugins still never load each other).
 */
import type {} from '@site-cli/plugin-alb/outputs';
import type {} from '@site-cli/plugin-compute/outputs';
import type {} from '@site-cli/plugin-keypair/outputs';
import type {} from '@site-cli/plugin-network/outputs';

export interface LaunchTemplateOutput {
  launchTemplateId: string;
  launchTemplateName: string;
  /** The version the group launches from: the newest, which carries `fingerprint` in its description. */
  version: number;
  /** What the version was made from (compute's launch fingerprint, key pair, security group): decides a new one. */
  fingerprint: string;
}

export interface GroupInstance {
  instanceId: string;
  availabilityZone: string;
  /** AWS's LifecycleState: Pending, InService, Terminating, … */
  lifecycleState: string;
  /** AWS's HealthStatus: Healthy or Unhealthy. */
  healthStatus: string;
  /** The launch template version it was launched from, when AWS says. */
  launchTemplateVersion?: string;
}

export interface InstanceRefreshInfo {
  instanceRefreshId: string;
  /** Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, … */
  status: string;
  percentageComplete?: number;
  statusReason?: string;
}

export interface GroupOutput {
  groupName: string;
  groupArn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplateId?: string;
  launchTemplateVersion?: string;
  targetGroupArns: string[];
  subnetIds: string[];
  instances: GroupInstance[];
  /** The newest instance refresh still running (Pending / InProgress / Cancelling), if any. */
  refresh?: InstanceRefreshInfo;
}

export interface PolicyOutput {
  policyName: string;
  policyArn: string;
  /** ASGAverageCPUUtilization or ALBRequestCountPerTarget. */
  metric: string;
  targetValue: number;
  resourceLabel?: string;
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'autoscaling.launch-template': LaunchTemplateOutput;
    'autoscaling.group': GroupOutput;
    'autoscaling.policy': PolicyOutput;
  }
}
