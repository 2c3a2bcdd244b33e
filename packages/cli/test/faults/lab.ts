import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  profiles,
  startSimulator,
  type CallRecord,
  type FaultOptions,
  type LatencyProfile,
  type SimState,
  type Simulator,
} from '@site-cli/aws-sim';
import { BIN, type SiteRun } from '../run-site.js';

/** What one site is made of; a fault scenario passes only when exactly this much ever existed. */
export const KINDS = [
  'keyPairs',
  'securityGroups',
  'instances',
  'targetGroups',
  'loadBalancers',
  'listeners',
  'autoScalingGroups',
  'launchTemplates',
] as const;
export type Kind = (typeof KINDS)[number];
export type Counts = Record<Kind, number>;

export const expectedCounts = (instances: number, scaling = false): Counts => ({
  keyPairs: 1,
  securityGroups: 2,
  instances,
  targetGroups: 1,
  loadBalancers: 1,
  listeners: 1,
  autoScalingGroups: scaling ? 1 : 0,
  launchTemplates: scaling ? 1 : 0,
});

/** instance.scaling of a site on an Auto Scaling group; it starts at `min` instances. */
export interface LabScaling {
  min: number;
  max: number;
}

/** A run of the built `site` binary, bounded: one that outlives `timeoutMs` is killed and counted as hung. */
export interface LabRun extends SiteRun {
  args: string[];
  signal: NodeJS.Signals | null;
  hung: boolean;
  ms: number;
  /** The parsed --json envelope, when there was one. */
  json?: { status: number; result?: any; error?: { code: string; message: string; suggestions: string[] } };
}

export interface LabOptions {
  /** Seeds the simulator's ids and fault draws: a failing scenario replays with the same seed. */
  seed: number;
  faults?: FaultOptions;
  /** instance.count of the site. */
  instances?: number;
  /** Put the site on an Auto Scaling group instead of fixed instances (instances: its min). */
  scaling?: LabScaling;
  /** 'fast' (default): every transition in a few hundred ms. 'aws-like': see AWS_LIKE. */
  timing?: 'fast' | 'aws-like';
  /** Durations of the timing to change (e.g. a longer AWS second, for a refresh a re-run can still meet). */
  slower?: Partial<LatencyProfile>;
}

/** How much faster than AWS an 'aws-like' lab runs its long waits (and the tool its polls: SITE_TIME_SCALE). */
export const AWS_LIKE_SCALE = 0.1;

/**
 * AWS's timing (aws-sim's realistic profile, measured in us-east-1) with the long waits scaled to a tenth —
 * except an instance's `pending`, which keeps its real 15 s: what a re-run started at once races against is
 * the tool's start-up and planning, which no scale shortens. So a re-run right after Ctrl-C meets the
 * instances still pending and the load balancer still provisioning, as it would on AWS.
 */
export const AWS_LIKE: LatencyProfile = {
  ...(Object.fromEntries(
    Object.entries(profiles.realistic).map(([key, ms]) => [key, ms * AWS_LIKE_SCALE]),
  ) as unknown as LatencyProfile),
  instancePendingMs: profiles.realistic.instancePendingMs,
};

export interface Machine {
  dir: string;
  env: NodeJS.ProcessEnv;
}

const RUN_TIMEOUT_MS = 120_000;

/**
 * One scenario's world: a private simulator (so everything in it belongs to the scenario), a project
 * folder, and a record of every resource that ever existed in it, taken from the simulator's own state
 * after each mutating call — a duplicate created and deleted again still counts.
 */
export class Lab {
  readonly problems: string[] = [];
  readonly runs: LabRun[] = [];
  readonly everExisted: Record<Kind, Set<string>> = Object.fromEntries(
    KINDS.map((k) => [k, new Set<string>()]),
  ) as Record<Kind, Set<string>>;
  /** Resources created without this site's tags (destroy could never find them). */
  readonly untagged = new Set<string>();
  /** How many of each may exist over the whole scenario: more for a scenario that replaces instances. */
  readonly allowed: Counts;
  private stopTracking: () => void = () => {};

  private constructor(
    readonly sim: Simulator,
    readonly site: string,
    /** How many instances the site runs (a scenario that scales changes it). */
    public instances: number,
    readonly machines: Machine[],
    /** The simulator's timing, to tell what state a resource is in at a given moment. */
    readonly profile: LatencyProfile,
    readonly scaling?: LabScaling,
  ) {
    this.allowed = expectedCounts(instances, scaling !== undefined);
  }

  static async start(options: LabOptions): Promise<Lab> {
    const base = options.timing === 'aws-like' ? AWS_LIKE : profiles.fast;
    const profile = options.slower ? { ...base, ...options.slower } : base;
    const sim = await startSimulator({ profile, seed: options.seed, faults: options.faults });
    const instances = options.scaling?.min ?? options.instances ?? 1;
    const lab = new Lab(sim, 'barista-cafe', instances, [], profile, options.scaling);
    lab.machines.push(lab.machine());
    // After every call, failed ones included: a lost answer may still have made something.
    lab.stopTracking = sim.onCall(() => lab.track(sim.snapshot() as SimState));
    return lab;
  }

  /** The first project folder, where most runs happen. */
  get home(): Machine {
    return this.machines[0]!;
  }

  /**
   * A project folder with its own data directory and key folder: a second machine deploying the same site
   * shares nothing with the first but the AWS account.
   */
  machine(): Machine {
    const dir = mkdtempSync(path.join(tmpdir(), 'site-faults-'));
    writeFileSync(path.join(dir, 'site.config.yaml'), `name: ${this.site}\n${this.instanceConfig()}`);
    const machine = {
      dir,
      env: {
        SITE_DATA_DIR: path.join(dir, '.data'),
        SITE_RENDERER: 'simple',
        NO_COLOR: '1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        // One access key per machine: the simulator's call log tells them apart.
        AWS_ACCESS_KEY_ID: `machine-${this.machines.length + 1}`,
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SITE_CHECKIP_URL: `${this.sim.endpoint}/_sim/checkip`,
        ...(this.profile.instancePendingMs === AWS_LIKE.instancePendingMs
          ? { SITE_TIME_SCALE: String(AWS_LIKE_SCALE) }
          : {}),
        // The endpoint is aws-sim: deploy's final HTTP check goes through its data plane, as in the sandbox.
        SITE_SIMULATOR_ENDPOINT: this.sim.endpoint,
      },
    };
    return machine;
  }

  async stop(): Promise<void> {
    this.stopTracking();
    await this.sim.stop();
  }

  /** Start `site <args> --endpoint-url <sim> --yes --json` in a project folder (--yes where the command asks). */
  start(
    args: string[],
    machine: Machine = this.home,
  ): { pid: number; done: Promise<LabRun>; interrupt(): void } {
    const confirm = args[0] === 'deploy' || args[0] === 'destroy' ? ['--yes'] : [];
    const fullArgs = [...args, '--endpoint-url', this.sim.endpoint, ...confirm, '--json'];
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...fullArgs], {
      cwd: machine.dir,
      env: { ...process.env, ...machine.env },
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    const done = new Promise<LabRun>((resolve) => {
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        let json: LabRun['json'];
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        const run: LabRun = {
          args,
          code: code ?? 1,
          signal,
          stdout,
          stderr,
          hung,
          ms: Date.now() - started,
          json,
        };
        this.runs.push(run);
        resolve(run);
      });
    });
    return { pid: child.pid ?? 0, done, interrupt: () => child.kill('SIGINT') };
  }

  run(args: string[], machine: Machine = this.home): Promise<LabRun> {
    return this.start(args, machine).done;
  }

  /**
   * Run `site <args>` and press Ctrl-C right after the simulator has handled the `occurrence`-th successful
   * `action` — while that call's answer is still on its way, the least convenient moment there is.
   */
  async interruptAfter(
    args: string[],
    action: string,
    occurrence = 1,
  ): Promise<LabRun & { interruptedAt?: CallRecord }> {
    let seen = 0;
    let interruptedAt: CallRecord | undefined;
    const run = this.start(args);
    const off = this.sim.onCall(async (call) => {
      if (interruptedAt || call.action !== action || call.error) return;
      if (++seen < occurrence) return;
      interruptedAt = call;
      run.interrupt();
      // Hold the answer back a moment: the signal lands while the call is in flight.
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    try {
      return { ...(await run.done), interruptedAt };
    } finally {
      off();
    }
  }

  /**
   * Hold every answer until each of `machines` has made a call (or 15 s passed): runs started together
   * then plan together, whatever their start-up times, and their creates race for real.
   */
  startTogether(machines: Machine[]): () => void {
    const waiting = new Set(machines.map((m) => m.env.AWS_ACCESS_KEY_ID));
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(release, 15_000);
    const off = this.sim.onCall(async (call) => {
      waiting.delete(call.accessKeyId);
      if (waiting.size === 0) release();
      await together;
    });
    return () => {
      clearTimeout(timer);
      release();
      off();
    };
  }

  /** Record every resource in the simulator now. */
  private track(state: SimState): void {
    const add = (kind: Kind, id: string) => {
      this.everExisted[kind].add(id);
      const tags = state.tags[id] ?? {};
      if (tags['site:name'] !== this.site || tags.ManagedBy !== 'site') this.untagged.add(id);
    };
    for (const k of state.keyPairs) add('keyPairs', k.id);
    for (const g of state.securityGroups) if (g.name !== 'default') add('securityGroups', g.id);
    for (const i of state.instances) add('instances', i.id);
    for (const t of state.targetGroups) add('targetGroups', t.arn);
    for (const l of state.loadBalancers) add('loadBalancers', l.arn);
    for (const l of state.listeners) add('listeners', l.arn);
    for (const t of state.launchTemplates ?? []) add('launchTemplates', t.id);
    for (const g of state.autoScaling?.groups ?? []) {
      this.everExisted.autoScalingGroups.add(g.arn);
      const tags = Object.fromEntries(g.tags.map((t) => [t.Key, t.Value]));
      if (tags['site:name'] !== this.site || tags.ManagedBy !== 'site') this.untagged.add(g.arn);
    }
  }

  /** What exists in the simulator now, of every kind. */
  live(): Record<Kind, string[]> {
    const state = this.sim.snapshot() as SimState;
    this.track(state);
    const leaving = new Set(
      (state.autoScaling?.groups ?? []).flatMap((g) => g.instances.filter((m) => m.leaving).map((m) => m.id)),
    );
    return {
      keyPairs: state.keyPairs.map((k) => k.id),
      securityGroups: state.securityGroups.filter((g) => g.name !== 'default').map((g) => g.id),
      // Terminating counts as gone: AWS stops billing it and it disappears on its own. So does a group's
      // instance the group took out (lifecycle Terminating: drained, then terminated by the group, no one else).
      instances: state.instances
        .filter((i) => i.terminateTime === undefined && !leaving.has(i.id))
        .map((i) => i.id),
      targetGroups: state.targetGroups.map((t) => t.arn),
      loadBalancers: state.loadBalancers.map((l) => l.arn),
      listeners: state.listeners.map((l) => l.arn),
      launchTemplates: (state.launchTemplates ?? []).map((t) => t.id),
      autoScalingGroups: (state.autoScaling?.groups ?? []).map((g) => g.arn),
    };
  }

  expected(): Counts {
    return expectedCounts(this.instances, this.scaling !== undefined);
  }

  /** Resources beyond the allowed number of each kind, over the whole scenario. */
  duplicates(): number {
    return KINDS.reduce(
      (sum, kind) => sum + Math.max(0, this.everExisted[kind].size - this.allowed[kind]),
      0,
    );
  }

  /** Change the site's configuration (site.config.yaml) on every machine. */
  configure(extra: string): void {
    for (const machine of this.machines)
      writeFileSync(
        path.join(machine.dir, 'site.config.yaml'),
        `name: ${this.site}\n${this.instanceConfig()}${extra}`,
      );
  }

  private instanceConfig(): string {
    if (this.scaling) return `instance:\n  scaling: { min: ${this.scaling.min}, max: ${this.scaling.max} }\n`;
    return this.instances === 1 ? '' : `instance: { count: ${this.instances} }\n`;
  }

  /** Everything still there (any kind, tagged or not), plus a private key file left on a machine. */
  orphans(): string[] {
    const live = this.live();
    const left = KINDS.flatMap((kind) => live[kind].map((id) => `${kind}: ${id}`));
    for (const machine of this.machines) {
      const pem = path.join(machine.dir, `${this.site}-key.pem`);
      if (existsSync(pem)) left.push(`private key file ${pem}`);
    }
    return left;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Note a problem unless `ok`. */
  check(ok: boolean, message: string): boolean {
    if (!ok) this.problem(message);
    return ok;
  }

  /** A run ended with this exit code, within its time. */
  expectExit(run: LabRun, code: number, what: string): boolean {
    if (run.hung) return this.check(false, `${what}: hung (killed after ${RUN_TIMEOUT_MS / 1000} s)`);
    const error = run.json?.error ? ` ${run.json.error.code}: ${run.json.error.message}` : '';
    return this.check(
      run.code === code,
      `${what}: exit ${run.code}${run.signal ? ` (${run.signal})` : ''}, expected ${code}.${error}${
        run.json ? '' : ` stderr: ${run.stderr.slice(-600)}`
      }`,
    );
  }

  /**
   * After a deploy that exited 0: its URL answers 200 through the simulated load balancer, and exactly the
   * expected number of each resource is live, every one carrying the site's tags.
   */
  async expectDeployed(run: LabRun, what = 'deploy'): Promise<void> {
    if (!this.expectExit(run, 0, what)) return;
    const url: string | undefined = run.json?.result?.url;
    if (!this.check(typeof url === 'string', `${what}: no URL in the result`)) return;
    const dataPlane = this.sim.dataPlaneUrl(new URL(url!).hostname);
    if (!this.check(dataPlane !== undefined, `${what}: ${url} is no load balancer of the simulator`)) return;
    const answer = await fetch(dataPlane!).catch((error: Error) => ({ status: 0, error }));
    this.check(answer.status === 200, `${what}: ${url} answered ${answer.status}, expected 200`);
    const resources = run.json?.result?.resources ?? {};
    const ids: string[] =
      resources[this.scaling ? 'autoscaling.group' : 'compute.instances']?.instanceIds ?? [];
    this.check(
      ids.length === this.instances,
      `${what}: reports ${ids.length} instances, expected ${this.instances}`,
    );
    const live = this.live();
    const expected = this.expected();
    for (const kind of KINDS)
      this.check(
        live[kind].length === expected[kind],
        `${what}: ${live[kind].length} ${kind} exist, expected ${expected[kind]} (${live[kind].join(', ')})`,
      );
  }

  /** After a destroy that exited 0: nothing of the site is left in the simulator or on disk. */
  expectDestroyed(run: LabRun, what = 'destroy'): void {
    if (!this.expectExit(run, 0, what)) return;
    const left = this.orphans();
    this.check(left.length === 0, `${what}: left behind ${left.join('; ')}`);
  }
}
