import { hasGroups } from './autoscaling/common.js';
import { advanceAutoScaling } from './autoscaling/engine.js';
import { type Clock, systemClock } from './clock.js';
import path from 'node:path';
import { InstanceContent, type ObjectReader } from './content/instance-content.js';
import { SimContext } from './context.js';
import { readObject } from './s3/common.js';
import { DataPlane } from './data-plane.js';
import { FaultInjector } from './faults/injector.js';
import type { FaultOptions } from './faults/options.js';
import { Prng, requestId } from './ids.js';
import { Persistence } from './persistence/persistence.js';
import { type LatencyProfile, resolveProfile } from './profiles.js';
import { seedHostedZones } from './route53/zones.js';
import { initialState, type SimState } from './state.js';

export interface CallRecord {
  time: number;
  /** The service's protocol name: 'ec2', 'elbv2'. */
  service: string;
  action: string;
  params: unknown;
  mutating: boolean;
  error?: string;
  status: number;
  requestId: string;
  /** The access key id the call was signed with: tells apart two clients of one simulator. */
  accessKeyId?: string;
}

/**
 * Told of every API call once the simulator has handled it, before the response is sent: a test can
 * act at an exact point of a run (interrupt the client right after a create). Awaited, so the
 * response waits for it.
 */
export type CallListener = (call: CallRecord) => void | Promise<void>;

export interface SimulatorOptions {
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  profile?: 'fast' | 'realistic' | LatencyProfile;
  timeScale?: number;
  seed?: number;
  faults?: FaultOptions;
  /** Account quotas by DescribeAccountLimits name, e.g. `{ 'application-load-balancers': 1 }`. */
  limits?: Record<string, number>;
  stateFile?: string;
  clock?: Clock;
  /**
   * Public hosted zones the account has from the start (`example-cafe.com`): made when the state has no zone
   * of that name, and again after a reset. Default: `AWS_SIM_HOSTED_ZONES` (comma-separated), so a
   * `--sandbox` run that starts its own simulator can have one too.
   */
  hostedZones?: string[];
  /**
   * Where downloaded site zips are kept by URL (default: `zip-cache` beside the state file; without a state
   * file, nothing is kept between runs).
   */
  zipCacheDir?: string;
  /**
   * A base URL serving Tooplate's zips (`https://www.tooplate.com/zip-templates/<id>_<name>.zip`) under the
   * same names, for machines without internet and for tests (default: env `SITE_TOOPLATE_MIRROR`).
   */
  tooplateMirror?: string;
  /** Reads objects for instances whose content comes from a bucket (default: this simulator's own S3). */
  objects?: ObjectReader;
}

/**
 * The simulated account: its state, the call log, the fault and request-id streams, the data plane, and
 * the state file it shares. Knows no HTTP and no service: the server and the API dispatch use it.
 */
export class Simulation {
  readonly calls: CallRecord[] = [];
  ctx: SimContext;
  readonly profile: LatencyProfile;
  readonly clock: Clock;
  faults: FaultInjector;
  readonly dataPlane: DataPlane;
  readonly content: InstanceContent;
  private requests: Prng;
  private readonly persistence: Persistence;
  private readonly listeners = new Set<CallListener>();

  constructor(private readonly opts: SimulatorOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.profile = resolveProfile(opts.profile, opts.timeScale ?? 1);
    this.persistence = new Persistence(opts.stateFile);
    const state = this.persistence.load() ?? this.fresh();
    this.content = new InstanceContent({
      cacheDir: opts.zipCacheDir ?? (opts.stateFile && path.join(path.dirname(opts.stateFile), 'zip-cache')),
      tooplateMirror: opts.tooplateMirror ?? (process.env.SITE_TOOPLATE_MIRROR || undefined),
      objects: opts.objects ?? ((ctx, bucket, key) => readObject(ctx.state, bucket, key)?.body),
    });
    this.ctx = new SimContext(state, this.clock, this.profile, { ...(opts.faults ?? {}) });
    this.ctx.limits = { ...(opts.limits ?? {}) };
    this.ctx.content = this.content;
    this.faults = this.faultsFrom(state);
    this.requests = new Prng(state.rng.requests);
    this.dataPlane = new DataPlane(() => this.ctx, opts.host ?? '127.0.0.1', this.content);
    this.seedZones();
  }

  private zoneNames(): string[] {
    return (
      this.opts.hostedZones ??
      (process.env.AWS_SIM_HOSTED_ZONES ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
    );
  }

  /** The zones of `hostedZones` that the state lacks, made and written like any change. */
  private seedZones(): void {
    const names = this.zoneNames();
    if (!names.length) return;
    this.onLatest(() => {
      if (seedHostedZones(this.ctx, names)) this.commit();
    });
  }

  private fresh(): SimState {
    return initialState(
      this.opts.region ?? 'us-east-1',
      this.opts.accountId ?? '123456789012',
      this.opts.seed ?? 1,
    );
  }

  private faultsFrom(state: SimState): FaultInjector {
    return new FaultInjector(new Prng(state.rng.faults), () => this.ctx.faults);
  }

  nextRequestId(): string {
    return requestId(this.requests);
  }

  snapshot(): SimState {
    this.syncRng();
    return structuredClone(this.ctx.state);
  }

  reset(): void {
    this.calls.length = 0;
    this.persistence.locked(() => {
      this.refresh();
      // A reset is a change like any other: saved as the next generation, it outranks every state before it.
      const state = this.fresh();
      state.generation = this.ctx.state.generation ?? 0;
      this.adopt(state);
      this.faults = this.faultsFrom(state);
      this.requests = new Prng(state.rng.requests);
      seedHostedZones(this.ctx, this.zoneNames());
      this.commit();
    });
    void this.dataPlane.sync();
  }

  setFaults(f: FaultOptions): void {
    this.ctx.faults = { ...f };
  }

  dataPlaneUrl(dnsName: string, port?: number): string | undefined {
    return this.dataPlane.url(dnsName, port);
  }

  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async notify(call: CallRecord): Promise<void> {
    for (const listener of [...this.listeners]) await listener(call);
  }

  callCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.action] = (out[c.action] ?? 0) + 1;
    return out;
  }

  /** Answers from the latest state: takes up what another simulator sharing the state file wrote. */
  async catchUp(): Promise<void> {
    if (this.refresh()) await this.dataPlane.sync();
  }

  /**
   * Runs a change on the latest state, holding the state file's lock until it is written (see commit).
   * `adopted`: the state was taken up from the file first.
   */
  onLatest<T>(change: () => T): { value: T; adopted: boolean } {
    return this.persistence.locked(() => {
      const adopted = this.refresh();
      return { value: change(), adopted };
    });
  }

  /**
   * Steps the Auto Scaling groups up to now between calls, so the data plane sees a group heal or grow with
   * no one calling (a call does the same first). True when anything changed.
   */
  advanceEngine(): boolean {
    if (!hasGroups(this.ctx)) return false;
    return this.onLatest(() => {
      const changed = hasGroups(this.ctx) && advanceAutoScaling(this.ctx);
      if (changed) this.commit();
      return changed;
    }).value;
  }

  /** The state changed: writes it as the next generation. */
  commit(): void {
    this.persistence.changed = true;
    this.save();
  }

  async close(): Promise<void> {
    // Only a simulator that changed something writes: a reader (status, plan, a refused run) sharing the
    // state file with a writer would otherwise put back what it loaded, undoing the writer's work.
    if (this.persistence.changed) this.save();
    await this.dataPlane.closeAll();
  }

  private save(): void {
    this.persistence.save(() => (this.syncRng(), this.ctx.state));
  }

  /** Takes up a newer generation from the state file, keeping this simulator's own fault and request-id streams. */
  private refresh(): boolean {
    const newer = this.persistence.newer(this.ctx.state);
    if (newer) this.adopt(newer);
    return newer !== undefined;
  }

  private adopt(state: SimState): void {
    const { limits, faults } = this.ctx;
    this.ctx = new SimContext(state, this.clock, this.profile, faults);
    this.ctx.limits = limits;
    this.ctx.content = this.content;
  }

  private syncRng(): void {
    this.ctx.syncRng();
    this.ctx.state.rng.faults = this.faults.rngState;
    this.ctx.state.rng.requests = this.requests.state;
  }
}
