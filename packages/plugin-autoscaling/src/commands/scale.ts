import { Args, Flags } from '@oclif/core';
import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';
import type { ScaleResult } from '../scale.js';

export default class ScaleCommand extends SiteCommand {
  static override summary = "Change how many instances the site's Auto Scaling group runs, now.";
  static override description =
    'Sets the desired capacity of the group (instance.scaling) within its bounds — or moves the bounds with --min/--max — and waits until that many instances are in service and healthy behind the load balancer. Ctrl-C stops the wait only: AWS carries the change through. Target-tracking policies may change the capacity again later; the next `site deploy` sets min and max back to the configuration.';
  static override examples = [
    '<%= config.bin %> scale 4',
    '<%= config.bin %> scale 6 --max 6',
    '<%= config.bin %> scale 2 --json',
  ];
  static override args = {
    desired: Args.integer({ description: 'Instances the group should run.', required: true, min: 0 }),
  };
  static override flags = {
    ...awsFlags,
    min: Flags.integer({ summary: "Set the group's minimum too.", min: 0 }),
    max: Flags.integer({ summary: "Set the group's maximum too.", min: 1 }),
    wait: Flags.boolean({
      summary: 'Wait until the instances are healthy behind the load balancer.',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<ScaleResult> {
    const { args, flags } = await this.parse(ScaleCommand);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      // The group alone (its own name and tags): none of the site's other look-ups are needed to scale it.
      const { groupResource } = await import('../resources/group.js');
      const ctx = session.context();
      const group = await groupResource().discover(ctx);
      if (!group)
        throw core.createError({
          code: 'NO_AUTO_SCALING_GROUP',
          message: `Site ${session.config.name} has no Auto Scaling group in ${session.config.region}: nothing to scale.`,
          suggestions: [
            'Set instance.scaling (e.g. `scaling: { min: 2, max: 4 }`) in the site configuration and run `site deploy`.',
          ],
          exitCode: core.ExitCode.usage,
        });
      const { scale } = await import('../scale.js');
      await session.lock();
      const result = await scale(ctx, group, {
        desired: args.desired,
        min: flags.min,
        max: flags.max,
        wait: flags.wait,
      });
      const scaling = session.config.instance.scaling;
      if (scaling && (scaling.min !== result.after.min || scaling.max !== result.after.max))
        this.note(
          `instance.scaling says min ${scaling.min}, max ${scaling.max}: the next \`site deploy\` sets them back. Change the configuration to keep ${result.after.min}–${result.after.max}.`,
        );
      this.log(
        core.table([
          {
            group: result.groupName,
            'min/desired/max': `${result.after.min}/${result.after.desired}/${result.after.max}`,
            was: `${result.before.min}/${result.before.desired}/${result.before.max}`,
            instances: result.instances
              .map((i) => `${i.instanceId} ${i.lifecycleState} ${i.healthStatus}`)
              .join(', '),
          },
        ]),
      );
      return result;
    } finally {
      await session.close();
    }
  }
}
