/** SDK shapes, types only: the clients come from the core (ctx.aws), which brings the SDK with it. */
export type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
export type { SecurityGroupRule } from '@aws-sdk/client-ec2';
