import type { ActionDef } from './ec2/common.js';
import type { ServiceProtocol } from './protocol/protocol.js';

/**
 * One simulated AWS service: its wire protocol and the handlers of its actions. Adding a service is adding
 * one of these (a protocol object, handlers) and naming it in registry.ts.
 */
export interface SimService {
  readonly protocol: ServiceProtocol;
  /** Handlers by action name, taking and returning SDK-shaped objects. */
  readonly actions: Readonly<Record<string, ActionDef>>;
  /**
   * The tagging action IAM authorizes too when this call tags what it creates (ec2:CreateTags for
   * TagSpecifications), if it does: a denial of that action denies the call.
   */
  taggingActionOf?(action: string, input: Record<string, unknown>): string | undefined;
}
