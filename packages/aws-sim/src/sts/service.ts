import type { SimContext } from '../context.js';
import { stsProtocol } from '../protocol/sts.js';
import type { SimService } from '../service.js';

/**
 * STS, for the caller's identity: the simulated account's one IAM user, `sim` (the user the simulator's
 * access denials name).
 */
export const stsService: SimService = {
  protocol: stsProtocol,
  actions: {
    GetCallerIdentity: {
      mutating: false,
      fn: (ctx: SimContext) => ({
        UserId: 'AIDASIMULATEDUSER0001',
        Account: ctx.state.accountId,
        Arn: `arn:aws:iam::${ctx.state.accountId}:user/sim`,
      }),
    },
  },
};
