import type { SimContext } from './context.js';
import type { InstanceContent } from './content/instance-content.js';
import type { ServiceProtocol } from './protocol/protocol.js';

// Handlers take SDK-shaped input whose type the model knows, not TypeScript: each reads what it needs.
export type Handler = (ctx: SimContext, input: any, prepared?: unknown) => unknown;
export interface ActionDef {
  fn: Handler;
  /**
   * Slow work done before the handler, outside the state lock (e.g. RunInstances fetching the site zip its
   * user data names); its result is handed to `fn` as `prepared`.
   */
  prepare?: (input: any, content: InstanceContent) => Promise<unknown>;
  /** Changes state: run on the latest state, written to the state file, may lose its answer. */
  mutating: boolean;
}

/** Key set on a result of a mutating action that changed nothing (idempotent replay). Never serialised. */
export const NO_CHANGE = '__simNoChange';

/**
 * One simulated AWS service: its wire protocol and the handlers of its actions. Adding a service is adding
 * one of these (a protocol object, handlers) and naming it in registry.ts.
 */
export interface SimService {
  readonly protocol: ServiceProtocol;
  /** Handlers by action name, taking and returning SDK-shaped objects. */
  readonly actions: Readonly<Record<string, ActionDef>>;
}
