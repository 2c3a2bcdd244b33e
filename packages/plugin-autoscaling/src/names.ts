import type { ResourceContext } from '@site-cli/core/plugin';

/** Launch template names: 3–128 of [a-zA-Z0-9().-/_] (ec2 model, CreateLaunchTemplate); site names fit. */
export const templateName = (ctx: ResourceContext) => ctx.naming.derive('lt', 128);
/** Auto Scaling group names: 1–255 characters (autoscaling model, XmlStringMaxLen255). */
export const groupName = (ctx: ResourceContext) => ctx.naming.derive('asg', 255);
export const policyName = (ctx: ResourceContext) => ctx.naming.derive('target-tracking', 255);

/** The tag AWS puts on every instance a group launches (its name): how the site tells them from its own. */
export const GROUP_NAME_TAG = 'aws:autoscaling:groupName';
