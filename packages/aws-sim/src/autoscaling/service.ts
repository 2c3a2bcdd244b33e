import { autoscalingProtocol } from '../protocol/autoscaling.js';
import type { SimService } from '../service.js';
import { groupActions } from './groups.js';
import { policyActions } from './policies.js';
import { refreshActions } from './refreshes.js';
import { asgTagActions } from './tags.js';

/** EC2 Auto Scaling: groups launching from EC2 launch templates, kept at capacity by engine.ts. */
export const autoscalingService: SimService = {
  protocol: autoscalingProtocol,
  actions: { ...groupActions, ...refreshActions, ...policyActions, ...asgTagActions },
};
