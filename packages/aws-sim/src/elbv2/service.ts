import { elbv2Protocol } from '../protocol/elbv2.js';
import type { SimService } from '../service.js';
import { accountLimitActions } from './account-limits.js';
import { listenerActions } from './listeners.js';
import { ruleActions } from './rules.js';
import { loadBalancerActions } from './load-balancers.js';
import { sslPolicyActions } from './ssl-policies.js';
import { elbTagActions } from './tags.js';
import { targetGroupActions } from './target-groups.js';

export const elbv2Service: SimService = {
  protocol: elbv2Protocol,
  actions: {
    ...targetGroupActions,
    ...loadBalancerActions,
    ...listenerActions,
    ...ruleActions,
    ...sslPolicyActions,
    ...elbTagActions,
    ...accountLimitActions,
  },
};
