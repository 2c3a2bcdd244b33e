/** Outputs of this plugin's resources and of the ones it reads (see docs/resource-graph.md). */

export interface HealthCheckSettings {
  path: string;
  interval: number;
  timeout: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface TargetGroupOutput {
  targetGroupArn: string;
  targetGroupName: string;
  /** Beyond the contract, for diff: */
  healthCheck?: HealthCheckSettings;
  deregistrationDelay?: number;
}

export interface LoadBalancerOutput {
  loadBalancerArn: string;
  loadBalancerName: string;
  dnsName: string;
  state: string;
}

export interface ListenerOutput {
  listenerArn: string;
  port: number;
  protocol: string;
  /** Beyond the contract, for diff: what the default action does now. */
  action?: string;
  targetGroupArn?: string;
  /**
   * The resource of this site that took over the default action (its `site:default-action` tag), e.g. a
   * plugin's HTTP → HTTPS redirect. While that resource is part of the run, its action is not drift.
   */
  defaultActionOwner?: string;
}

export interface TargetHealthInfo {
  instanceId: string;
  state: string;
  reason?: string;
  description?: string;
}

export interface TargetsOutput {
  targetGroupArn: string;
  instanceIds: string[];
  /** Beyond the contract: each registered target's health at discovery. */
  health?: TargetHealthInfo[];
}

export interface SiteHealthOutput {
  url: string;
  targets: { instanceId: string; state: string; reason?: string }[];
  /** `location`: where a redirect of the listener's default action pointed (see ListenerOutput.defaultActionOwner). */
  http: { status?: number; location?: string; skipped?: string; error?: string };
}

/** network.vpc */
export interface VpcOutput {
  vpcId: string;
  cidrBlock: string;
  subnets: { subnetId: string; availabilityZone: string }[];
}

/** network.alb-security-group */
export interface AlbSecurityGroupOutput {
  groupId: string;
  groupName: string;
  vpcId: string;
}

/** compute.instances (only what this plugin reads). */
export interface InstancesOutput {
  instances: { instanceId: string; availabilityZone: string; subnetId: string; state: string }[];
  retiring: string[];
}
