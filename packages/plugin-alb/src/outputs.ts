/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin), and the declarations of the other plugins' outputs this one reads (types only: erased at
 * build time, so plugins still never load each other).
 */
import type { SiteConfig } from '@site-cli/core/plugin';
import type {} from '@site-cli/plugin-compute/outputs';
import type {} from '@site-cli/plugin-network/outputs';

/** The target group's health check, exactly as the configuration's `alb.healthCheck` says it. */
export type HealthCheckSettings = SiteConfig['alb']['healthCheck'];

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
  /** Beyond the contract, for cost: the zones it has a node (and a public IPv4 address) in. */
  zones?: string[];
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
  /**
   * Discovery only: the ports of the load balancer's other listeners (e.g. 443 of plugin-domain), so a plugin
   * can tell whether it has a listener to look for without another DescribeListeners.
   */
  otherPorts?: number[];
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

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'alb.target-group': TargetGroupOutput;
    'alb.load-balancer': LoadBalancerOutput;
    'alb.listener': ListenerOutput;
    'alb.targets': TargetsOutput;
    'alb.site-health': SiteHealthOutput;
  }
}
