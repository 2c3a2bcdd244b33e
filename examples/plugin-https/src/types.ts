/**
 * Outputs of the built-in resources this plugin reads, by id (docs/resource-graph.md): plugins meet through
 * these JSON shapes, never through each other's code. Only the fields used here.
 */
export interface AlbSecurityGroupOutput {
  groupId: string;
  groupName: string;
}
export interface LoadBalancerOutput {
  loadBalancerArn: string;
  loadBalancerName: string;
  dnsName: string;
}
export interface TargetGroupOutput {
  targetGroupArn: string;
  targetGroupName: string;
}
export interface HttpListenerOutput {
  listenerArn: string;
  port: number;
}

/** https.ingress: the two rules (IPv4, IPv6) opening the HTTPS port on the load balancer's group. */
export interface IngressOutput {
  groupId: string;
  rules: { ruleId: string; port: number; source: string }[];
}

/** https.listener */
export interface HttpsListenerOutput {
  listenerArn: string;
  port: number;
  certificateArn: string;
  sslPolicy: string;
  targetGroupArn?: string;
}

/** https.redirect: the port-80 listener, while its default action is our redirect. */
export interface RedirectOutput {
  listenerArn: string;
  fromPort: number;
  protocol: string;
  port: string;
  statusCode: string;
}

/** SDK shapes, types only: the clients come from the core (ctx.aws), which brings the SDK with it. */
export type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
export type { SecurityGroupRule } from '@aws-sdk/client-ec2';
