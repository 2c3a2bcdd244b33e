import { ec2Protocol } from '../protocol/ec2.js';
import type { SimService } from '../service.js';
import { type ActionDef, dryRunCheck } from './common.js';
import { consoleOutputActions } from './console-output.js';
import { imageActions } from './images.js';
import { instanceActions } from './instances.js';
import { keyPairActions } from './key-pairs.js';
import { launchTemplateActions } from './launch-templates.js';
import { securityGroupActions } from './security-groups.js';
import { tagActions } from './tags.js';
import { vpcActions } from './vpcs.js';

/**
 * Every EC2 action honours DryRun: one that validated answers DryRunOperation, not data (the handlers of
 * changes check it themselves before they change anything; look-ups are checked here, after they ran).
 */
function honouringDryRun(actions: Record<string, ActionDef>): Record<string, ActionDef> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, def]) => [
      name,
      {
        ...def,
        fn: (ctx, input, prepared) => {
          const result = def.fn(ctx, input, prepared);
          if ((input as { DryRun?: boolean }).DryRun) dryRunCheck({ DryRun: true });
          return result;
        },
      },
    ]),
  );
}

export const ec2Service: SimService = {
  protocol: ec2Protocol,
  actions: honouringDryRun({
    ...vpcActions,
    ...imageActions,
    ...keyPairActions,
    ...securityGroupActions,
    ...instanceActions,
    ...consoleOutputActions,
    ...tagActions,
    ...launchTemplateActions,
  }),
};
