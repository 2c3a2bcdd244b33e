import type { Prng } from '../ids.js';
import type { ServiceProtocol } from '../protocol/protocol.js';
import { denial, rejectCredentials } from './access.js';
import type { FaultOptions } from './options.js';

/** Who made a call, as the faults that depend on it need to know. */
export interface Caller {
  accessKeyId?: string;
  accountId: string;
}

/**
 * The faults drawn per API call from the seeded fault stream (throttling, 5xx, lost answers), and the
 * refusals set by name (denials, rejected credentials): a given seed and call sequence fails the same way.
 */
export class FaultInjector {
  constructor(
    private readonly rng: Prng,
    private readonly options: () => FaultOptions,
  ) {}

  /** The fault stream's position, to persist with the state. */
  get rngState(): number {
    return this.rng.state;
  }

  /** Throws the fault this call meets before it does anything, if any. Draws twice per call past the credentials. */
  beforeCall(
    protocol: ServiceProtocol,
    action: string,
    input: Record<string, unknown>,
    caller: Caller,
  ): void {
    const f = this.options();
    rejectCredentials(protocol, f.rejectCredentials, caller.accessKeyId);
    const denied = protocol.undeniable?.includes(action)
      ? undefined
      : denial(protocol, f.deny, action, input, caller.accountId);
    const u = this.rng.next();
    const v = this.rng.next();
    if (denied) throw denied;
    const throttle = f.throttleRate ?? 0;
    const server = f.serverErrorRate ?? 0;
    const { errors } = protocol;
    if (u < throttle) throw errors.throttled();
    if (u < throttle + server) throw errors.serverErrors[v < 0.5 ? 0 : 1]();
  }

  /**
   * Whether the answer to a change that was made is lost (lostResponseRate). Drawn only when that is set,
   * so seeds keep their fault sequences otherwise.
   */
  losesAnswer(): boolean {
    const lost = this.options().lostResponseRate ?? 0;
    return lost > 0 && this.rng.next() < lost;
  }
}
