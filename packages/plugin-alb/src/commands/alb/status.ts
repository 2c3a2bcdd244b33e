import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';
import type { TargetHealthInfo } from '../../outputs.js';
import type { ScalingGroupStatus } from '../../scaling-groups.js';

export interface AlbStatus {
  loadBalancer: { name: string; arn: string; state: string; dnsName: string; url: string } | null;
  listeners: { port: number; protocol: string; action: string; arn: string }[];
  targetGroup: { name: string; arn: string } | null;
  targets: TargetHealthInfo[];
  /** The Auto Scaling groups whose instances are targets (instance.scaling). */
  scalingGroups: ScalingGroupStatus[];
}

export default class AlbStatusCommand extends SiteCommand {
  static override summary = "Show the site's load balancer, listeners and target health.";
  static override description =
    "State and DNS name of the Application Load Balancer, the site's URL, every listener (port, protocol, default action) and every target's health with AWS's reason code and description.";
  static override examples = ['<%= config.bin %> alb status', '<%= config.bin %> alb status --json'];
  static override flags = { ...awsFlags };

  async run(): Promise<AlbStatus> {
    const { flags } = await this.parse(AlbStatusCommand);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      const outputs = await session.discover(['alb.load-balancer', 'alb.target-group']);
      const lb = outputs.get('alb.load-balancer');
      const tg = outputs.get('alb.target-group');
      const ctx = session.context(outputs);
      const { siteUrl } = await import('../../site-http.js');
      const { targetHealth } = await import('../../health.js');
      const elbv2 = await ctx.aws.elbv2();
      const listeners = lb
        ? ((await elbv2.describeListeners({ LoadBalancerArn: lb.loadBalancerArn })).Listeners ?? []).map(
            (l) => {
              const action = l.DefaultActions?.[0];
              const target =
                action?.TargetGroupArn ??
                action?.ForwardConfig?.TargetGroups?.map((t) => t.TargetGroupArn).join(', ');
              const describe =
                action?.Type === 'forward'
                  ? `forward → ${target === tg?.targetGroupArn ? tg?.targetGroupName : target}`
                  : (action?.Type ?? 'none');
              return {
                port: l.Port ?? 0,
                protocol: l.Protocol ?? '',
                action: describe,
                arn: l.ListenerArn ?? '',
              };
            },
          )
        : [];
      const targets = tg ? ((await targetHealth(ctx, tg.targetGroupArn)) ?? []) : [];
      const { scalingGroupsOf } = await import('../../scaling-groups.js');
      const scalingGroups = await scalingGroupsOf(
        ctx,
        targets.map((t) => t.instanceId),
      );
      const port = listeners.find((l) => l.port === session.config.alb.port)?.port ?? session.config.alb.port;
      const result: AlbStatus = {
        loadBalancer: lb
          ? {
              name: lb.loadBalancerName,
              arn: lb.loadBalancerArn,
              state: lb.state,
              dnsName: lb.dnsName,
              url: siteUrl(lb.dnsName, port),
            }
          : null,
        listeners,
        targetGroup: tg ? { name: tg.targetGroupName, arn: tg.targetGroupArn } : null,
        targets,
        scalingGroups,
      };
      if (!lb) {
        this.log(
          `No load balancer found for site ${session.config.name} in ${session.config.region}. Run \`site deploy\` to create it.`,
        );
      } else {
        this.log(
          core.table([
            {
              'load balancer': lb.loadBalancerName,
              state: lb.state,
              'dns name': lb.dnsName,
              url: result.loadBalancer?.url,
            },
          ]),
        );
        this.log('');
        this.log(
          listeners.length
            ? core.table(
                listeners.map(({ port: p, protocol, action }) => ({ listener: `${protocol}:${p}`, action })),
              )
            : 'No listeners.',
        );
      }
      if (tg) {
        this.log('');
        this.log(
          targets.length
            ? core.table(
                targets.map((t) => ({
                  target: t.instanceId,
                  health: t.state,
                  reason: t.reason ?? '',
                  description: t.description ?? '',
                })),
              )
            : `No targets registered in ${tg.targetGroupName}.`,
        );
      }
      for (const group of scalingGroups) {
        this.log('');
        this.log(
          core.table([
            {
              'auto scaling group': group.name,
              'min/desired/max': `${group.min}/${group.desired}/${group.max}`,
              instances: group.instances
                .map((i) => `${i.instanceId} ${i.lifecycleState} ${i.healthStatus}`)
                .join(', '),
            },
          ]),
        );
        if (group.activities.length > 0) {
          this.log('');
          this.log(
            core.table(group.activities.map((a) => ({ activity: a.time, status: a.status, cause: a.cause }))),
          );
        }
      }
      return result;
    } finally {
      await session.close();
    }
  }
}
