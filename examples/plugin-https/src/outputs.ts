/**
 * The outputs of this plugin's resources, declared in site's registry of resource outputs (ResourceOutputs in
 * @site-cli/core/plugin), and the built-in plugins' declarations of the outputs it reads: types only, from their
 * `outputs` entries, erased at build time (the plugin never loads another plugin's code).
 */
import type {} from '@site-cli/plugin-alb/outputs';
import type {} from '@site-cli/plugin-network/outputs';

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

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'https.ingress': IngressOutput;
    'https.listener': HttpsListenerOutput;
    'https.redirect': RedirectOutput;
  }
}
