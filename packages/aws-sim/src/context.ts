import type { Clock } from './clock.js';
import type { InstanceContent } from './content/instance-content.js';
import { err } from './errors.js';
import { type FaultOptions, inConsistencyWindow } from './faults/options.js';
import { IdMaker, Prng } from './ids.js';
import type { LatencyProfile } from './profiles.js';
import type { InstanceRec, LoadBalancerRec, SimState, Tags } from './state.js';

export const INSTANCE_STATES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;
export type InstanceStateName = keyof typeof INSTANCE_STATES;

/** Everything a handler needs. Timed states are derived from timestamps here, never from timers. */
export class SimContext {
  readonly ids: IdMaker;
  /** Account quotas by DescribeAccountLimits name (ELBv2), over the defaults: tests lower them. */
  limits: Record<string, number> = {};
  /** What the instances publish (set by the simulation): httpd answers only with content to serve. */
  content?: InstanceContent;
  constructor(
    public state: SimState,
    public readonly clock: Clock,
    public readonly profile: LatencyProfile,
    public faults: FaultOptions,
  ) {
    this.ids = new IdMaker(new Prng(state.rng.ids));
  }

  now(): number {
    return this.clock.now();
  }
  /** Copies the id PRNG position back into the state so it persists. */
  syncRng(): void {
    this.state.rng.ids = this.ids.rng.state;
  }

  /** AWS eventual consistency: a just-created resource is invisible to describes for a while. */
  fresh(createdAt: number): boolean {
    return inConsistencyWindow(this.faults, createdAt, this.now());
  }

  tagsOf(id: string): Tags {
    return this.state.tags[id] ?? {};
  }
  setTags(id: string, tags: { Key?: string; Value?: string }[] | undefined): void {
    if (!tags?.length) return;
    const t = (this.state.tags[id] ??= {});
    for (const { Key, Value } of tags) if (Key !== undefined) t[Key] = Value ?? '';
  }

  // --- instances
  instanceStateName(i: InstanceRec): InstanceStateName {
    const now = this.now();
    if (i.terminateTime !== undefined)
      return now - i.terminateTime < this.profile.instanceShuttingDownMs ? 'shutting-down' : 'terminated';
    return now - i.launchTime < this.profile.instancePendingMs ? 'pending' : 'running';
  }
  runningSince(i: InstanceRec): number {
    return i.launchTime + this.profile.instancePendingMs;
  }
  terminatedAt(i: InstanceRec): number | undefined {
    return i.terminateTime === undefined ? undefined : i.terminateTime + this.profile.instanceShuttingDownMs;
  }
  /** When httpd answers on the instance, or undefined if its user data never starts it. */
  httpdUpAt(i: InstanceRec): number | undefined {
    const ud = i.userData ? decodeUserData(i.userData) : '';
    if (!/httpd|apache2|nginx/.test(ud) || i.setupFailure !== undefined) return undefined;
    if (this.content && !this.content.hasContent(this, i)) return undefined;
    return this.runningSince(i) + this.profile.httpdBootMs;
  }
  instanceVisible(i: InstanceRec): boolean {
    const t = this.terminatedAt(i);
    return t === undefined || this.now() < t + this.profile.terminatedVisibleMs;
  }
  findInstance(id: string): InstanceRec | undefined {
    return this.state.instances.find((i) => i.id === id && this.instanceVisible(i));
  }

  // --- load balancers
  lbState(lb: LoadBalancerRec): 'provisioning' | 'active' {
    return this.now() - lb.createdAt < this.profile.lbProvisioningMs ? 'provisioning' : 'active';
  }
  lbActiveAt(lb: LoadBalancerRec): number {
    return lb.createdAt + this.profile.lbProvisioningMs;
  }
  /** Converts an AWS-configured number of seconds into sim time. */
  seconds(n: number): number {
    return n * this.profile.secondMs;
  }

  requireParam<T>(v: T | undefined, name: string): T {
    if (v === undefined || v === null || (typeof v === 'string' && v === ''))
      throw err('MissingParameter', `The request must contain the parameter ${name}`);
    return v;
  }
}

export function decodeUserData(b64: string): string {
  try {
    return Buffer.from(b64, 'base64').toString('utf8');
  } catch {
    return '';
  }
}
