import { route53Model } from '../protocol/models/route53.js';
import { route53Protocol } from '../protocol/route53.js';
import { validateInput } from '../protocol/validate.js';
import type { ActionDef, SimService } from '../service.js';
import { recordActions } from './records.js';
import { zoneActions } from './zones.js';

/** Every action checks its input against the model's constraints first (Route 53 answers InvalidInput). */
function checked(actions: Record<string, ActionDef>): Record<string, ActionDef> {
  const out: Record<string, ActionDef> = {};
  for (const [name, def] of Object.entries(actions)) {
    const shape = route53Model.operations[name]?.input;
    out[name] = {
      ...def,
      fn: (ctx, input, prepared) => {
        if (shape) validateInput(route53Model, shape, input, 'InvalidInput');
        return def.fn(ctx, input, prepared);
      },
    };
  }
  return out;
}

/**
 * Route 53: public hosted zones, their record sets (alias records to the simulator's load balancers), change
 * batches that are INSYNC after the profile's delay. It is the DNS the simulator's ACM validates against.
 */
export const route53Service: SimService = {
  protocol: route53Protocol,
  actions: checked({ ...zoneActions, ...recordActions }),
};
