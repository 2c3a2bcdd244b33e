import { acmModel } from '../protocol/models/acm.js';
import { acmProtocol } from '../protocol/acm.js';
import { validateInput } from '../protocol/validate.js';
import type { ActionDef, SimService } from '../service.js';
import { certificateActions } from './certificates.js';
import { acmTagActions } from './tags.js';

/** Every action checks its input against the model's constraints first, as ACM's front end does. */
function checked(actions: Record<string, ActionDef>): Record<string, ActionDef> {
  const out: Record<string, ActionDef> = {};
  for (const [name, def] of Object.entries(actions)) {
    const shape = acmModel.operations[name]?.input;
    out[name] = {
      ...def,
      fn: (ctx, input, prepared) => {
        if (shape) validateInput(acmModel, shape, input, 'ValidationException');
        return def.fn(ctx, input, prepared);
      },
    };
  }
  return out;
}

/** ACM: public certificates with DNS validation, issued once their validation records resolve in Route 53. */
export const acmService: SimService = {
  protocol: acmProtocol,
  actions: checked({ ...certificateActions, ...acmTagActions }),
};
