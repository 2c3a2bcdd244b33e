import type { AwsClients } from '../aws/clients.js';
import type { SiteConfig } from '../config/schema.js';
import type { Logger } from '../output/logger.js';
import type { Naming } from '../naming.js';
import type { SiteErrorOptions, SiteError } from '../errors.js';
import type { PollOptions } from './poll.js';

/** One AWS tag, as both SDKs spell it. */
export interface Tag {
  Key: string;
  Value: string;
}

/** Tags and filters that prove a resource belongs to this site. */
export interface TagHelper {
  /** The full tag set: site:name, site:resource, ManagedBy=site, Name, the user's tags, extra (at most 8, each site:*). */
  forResource(resourceId: string, name: string, extra?: Record<string, string>): Tag[];
  /** EC2 Filters selecting everything of this site (server-side: tag:site:name + tag:ManagedBy). */
  siteFilters(): { Name: string; Values: string[] }[];
  /** EC2 Filters selecting one resource id of this site. */
  resourceFilters(resourceId: string): { Name: string; Values: string[] }[];
  /** True when a tag list carries this site's ownership tags (optionally for one resource id). */
  isOwned(tags: { Key?: string; Value?: string }[] | undefined, resourceId?: string): boolean;
  /** Tag list → plain record. */
  toRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string>;
}

/**
 * What each resource id publishes, by id: the registry of the resource graph's typed outputs. Empty here; the
 * plugin that owns a resource declares its id and output type once, by declaration merging:
 *
 *     declare module '@site-cli/core/plugin' {
 *       interface ResourceOutputs { 'network.vpc': VpcOutput }
 *     }
 *
 * and a plugin that reads another's outputs imports that declaration (`import type {} from
 * '@site-cli/plugin-network/outputs'`, erased at build time: plugins still never load each other). Then
 * `ctx.outputs.require('network.vpc')` is a VpcOutput, and a misspelt or renamed id fails to compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by plugins (declaration merging)
export interface ResourceOutputs {}

/** Every resource id some plugin in this compilation declared. */
export type ResourceId = Extract<keyof ResourceOutputs, string>;

/** Outputs of resources already discovered or created in this run, by resource id. */
export interface Outputs {
  get<Id extends ResourceId>(resourceId: Id): ResourceOutputs[Id] | undefined;
  /** The output of a dependency; throws a clear error when it is absent. */
  require<Id extends ResourceId>(resourceId: Id): ResourceOutputs[Id];
  /** Whether this run has an output for any resource id, declared or not (e.g. an id read from a tag). */
  has(resourceId: string): boolean;
}

/**
 * Lines a resource contributes to `site logs` and to failure messages: an instance's setup log, for one.
 */
export interface LogEntry {
  /** What the lines come from, as the user looks it up: an instance id. */
  source: string;
  /** The contributing resource's own lines, oldest first (noise already left out). */
  lines: string[];
  /** The one line that says why it failed, when one does (also among `lines`). */
  failure?: string;
  /** When the source last wrote, ISO 8601, when known. */
  time?: string;
}

/** Which log sources to read; all of them when `sources` is absent. */
export interface LogQuery {
  sources?: readonly string[];
}

/** Everything a resource needs; handed to every life-cycle method. */
export interface ResourceContext {
  readonly config: SiteConfig;
  readonly aws: AwsClients;
  readonly naming: Naming;
  readonly tags: TagHelper;
  readonly log: Logger;
  readonly outputs: Outputs;
  /** Aborted on SIGINT or when another resource failed: stop waiting, leave what exists tagged. */
  readonly signal: AbortSignal;
  /** Sandbox / simulator helpers; undefined against real AWS. */
  readonly simulator?: { endpoint: string };
  /** Where the config file lives (keys default beside it). */
  readonly configDir: string;
  /** Memoise a call for the whole run, e.g. one batched DescribeSecurityGroups shared by two resources. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Poll until `check` returns a value, with short growing delays, a deadline and abort support. */
  poll<T>(what: string, check: () => Promise<T | undefined>, options?: PollOptions): Promise<T>;
  /** Build the one error type (codes, exit codes, suggestions). */
  error(options: SiteErrorOptions): SiteError;
  /** The AWS error code of an SDK error ('InvalidGroup.NotFound'); undefined for anything else. */
  awsErrorCode(error: unknown): string | undefined;
  /** True when `error` is the AWS error with one of these codes. */
  isAwsError(error: unknown, ...codes: string[]): boolean;
  /** Report progress on this resource's task line. */
  progress(message: string): void;
  /**
   * For `preflight`: make an EC2 call with `DryRun: true` (pass it on in the request) and read AWS's answer.
   * Resolves when AWS answers DryRunOperation (the call would be allowed); throws PREFLIGHT_DENIED naming
   * the IAM actions AWS checked (the call's own first, then e.g. ec2:CreateTags for tags set at creation: AWS
   * does not say which one is missing) on UnauthorizedOperation; any other error (a parameter AWS rejects) is
   * thrown as it comes. Resolves without calling where the endpoint ignores DryRun (an emulator would do it).
   */
  dryRun(iamActions: string | readonly string[], call: () => Promise<unknown>): Promise<void>;
  /**
   * The log lines every resource with a `logs` method contributes for what this run knows of it (its
   * output): how a failing check quotes an instance's setup failure without importing the plugin that
   * owns instances. A source that cannot be read is left out, never thrown.
   */
  logs(query?: LogQuery): Promise<LogEntry[]>;
}

/** One difference between what exists and what the configuration asks for. */
export interface Change {
  /** What differs, in the user's words: 'instance type', 'template'. */
  field: string;
  from: unknown;
  to: unknown;
}

/** One finding of `site doctor`: passing, worth a look, or failing, with what to do about it. */
export interface DoctorCheck {
  /** Short and stable: 'ssh rule', 'private key'. */
  name: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  /** The exact remedy (a command to run, a file to change); absent on pass. */
  fix?: string;
}

/** What a resource's doctor checks get: the usual context over what was discovered, and the run's own command line. */
export interface DoctorContext extends ResourceContext {
  /** A site command as the user would type it with this run's flags, for a fix: commandLine('deploy') → 'site deploy --sandbox'. */
  commandLine(command: string): string;
}

/** The plan steps a preflight runs for: the ones that will call AWS to create or change something. */
export type PreflightAction = 'create' | 'update' | 'replace';

/**
 * One thing a resource costs each month, for `site cost` and the plan's estimate: how much of which AWS price.
 * The core prices it from the AWS Price List snapshot (rate × quantity), so plugins hold no prices.
 */
export interface CostUsage {
  /** What is paid for, in the user's words: 't3.micro instances (2)', 'Root volumes, gp3'. */
  item: string;
  /** The Price List price that applies, e.g. { kind: 'ec2-instance', instanceType: 't3.micro' }. */
  price: {
    kind: 'ec2-instance' | 'ebs-volume' | 'alb-hour' | 'alb-lcu' | 'public-ipv4' | 's3-storage';
    instanceType?: string;
    volumeType?: string;
    storageClass?: string;
  };
  /**
   * How many of the price's unit are in use: with per 'hour', at every hour of the month (2 instances, 1 LCU);
   * with per 'month', over the month (16 GB of volumes). The core turns hours into a month (730).
   */
  units: number;
  per: 'hour' | 'month';
  /** Units that are assumed rather than known, said as such: '1 LCU on average (light traffic)'. */
  assumption?: string;
}

/** Hours in a month, as AWS's pricing pages and calculator count them. */
export const HOURS_PER_MONTH = 730;

/** One line of `site status` for a resource. */
export interface StatusRow {
  name: string;
  id: string;
  state: string;
  detail?: string;
}

/**
 * managed: created, kept, updated, replaced and destroyed by site.
 * data: only looked up (VPC, AMI, public IP); `create` is never called, `discover` must find it or throw.
 * check: a readiness check run at the end of every deploy (`create` waits until it passes; skipped with
 *   --no-wait); never destroyed; `discover` answers whether it passes now (for status).
 */
export type ResourceKind = 'managed' | 'data' | 'check';

/**
 * The resource contract: one piece of infrastructure with one life cycle.
 * Outputs must be JSON-serialisable: they are printed by `--json` and passed to dependants.
 */
export interface Resource<Out = unknown> {
  /** '<plugin area>.<thing>', e.g. 'alb.load-balancer'. Unique across all installed plugins. */
  readonly id: string;
  /** What the user sees in plans and task trees: 'Load balancer'. */
  readonly title: string;
  /** 'data' resources only look things up (VPC, AMI, public IP): never created or destroyed. */
  readonly kind?: ResourceKind;
  /** Resource ids whose outputs this one needs. */
  readonly dependsOn: readonly string[];
  /** The exact IAM actions its methods call, e.g. 'ec2:RunInstances'. */
  readonly iam: readonly string[];
  /**
   * Find what exists now (by this site's tags); undefined when nothing does. Never mutates.
   * A same-named resource without this site's tags is a conflict: throw a SiteError whose code ends
   * in `_CONFLICT` — deploy stops on it; destroy leaves that resource alone and says so.
   */
  discover(ctx: ResourceContext): Promise<Out | undefined>;
  /**
   * Local input that `create` depends on (a folder it writes to, a file it must not overwrite),
   * checked for every resource about to be created before anything at all is created. Throw a
   * usage error (exit 2) naming the problem and the fix. Never calls AWS.
   */
  preconditions?(ctx: ResourceContext): Promise<void>;
  /**
   * Whether the configuration asks for this resource at all (the Auto Scaling group only with
   * `instance.scaling`, the fixed instances only without it); wanted when absent. When false, deploy never
   * creates it, and one that exists stays in service through the deploy (its output there for dependants) and
   * is destroyed after every step and readiness check passed, dependants first: a switch without downtime.
   */
  wanted?(ctx: ResourceContext): boolean;
  /** Create it, then wait until it is usable. Must tag at creation and be safe to retry. */
  create(ctx: ResourceContext): Promise<Out>;
  /** Delete it, then wait until it is gone. Idempotent: not-found is success. */
  destroy(ctx: ResourceContext, found: Out): Promise<void>;
  /** Drift: what differs from the configuration. A non-empty answer means update (if defined) or replace. */
  diff?(ctx: ResourceContext, found: Out): Change[] | Promise<Change[]>;
  /**
   * Bring an existing resource in line without replacing it (e.g. register new targets, swap a rule).
   * When absent, a diff means replace: create a new one, let dependants update, then destroy the old one.
   */
  update?(ctx: ResourceContext, found: Out, changes: Change[]): Promise<Out>;
  /**
   * Runs after every dependant finished in this deploy: retire what an update left behind
   * (compute.instances terminates replaced instances only once the new ones serve).
   */
  finalize?(ctx: ResourceContext, current: Out): Promise<Out>;
  /**
   * Checks `deploy` runs before its first mutating call when the plan creates, updates or replaces this
   * resource (never on a no-op deploy): EC2 permission checks with `ctx.dryRun` on the exact request
   * `create` / `update` would send, and quota look-ups. Must not mutate. Throw `ctx.error` naming the IAM
   * action or the quota; every resource's preflight runs at once and all failures are reported together.
   * `found` is what exists now (update / replace). Every call it makes counts in `iam` like any other.
   */
  preflight?(ctx: ResourceContext, step: { action: PreflightAction; found?: Out }): Promise<void>;
  /**
   * Log lines of what exists (e.g. each instance's setup log from its console output), for `ctx.logs()`.
   * Must not mutate; read-only calls only, each listed in `iam`.
   */
  logs?(ctx: ResourceContext, found: Out, query: LogQuery): Promise<LogEntry[]>;
  /**
   * Checks for `site doctor` that only this resource can make (the SSH rule against your address, the .pem's
   * mode). `found` is what discover found, undefined when it does not exist. Read only: never mutates, locally or
   * in AWS. A throw is reported as a failing check named after the resource.
   */
  doctor?(ctx: DoctorContext, found: Out | undefined): Promise<DoctorCheck[]>;
  /**
   * What it costs a month (`site cost`, the plan's estimate). `found` is what exists; undefined asks for the
   * cost of the resource as configured (what deploy would leave). Never calls AWS: uses `found`, the
   * configuration and other resources' outputs.
   */
  cost?(ctx: ResourceContext, found: Out | undefined): CostUsage[];
  /** Rows for `site status`. */
  status?(ctx: ResourceContext, found: Out): Promise<StatusRow[]>;
  /**
   * The ids a user would look up in the console, for deploy's summary and --json. The summary table reads
   * keys by name: `…Name` → name, `…Id(s)` → id, else the first `…Arn` (output/resource-table.ts).
   */
  summarize?(found: Out): Record<string, string | string[] | number | undefined>;
}

/**
 * A resource whose id and outputs are declared in {@link ResourceOutputs}: its id, its output type and every id it
 * depends on are checked by the compiler. Plugins declare their resources with it.
 */
export type ResourceOf<Id extends ResourceId> = Resource<ResourceOutputs[Id]> & {
  readonly id: Id;
  readonly dependsOn: readonly ResourceId[];
};

/** A resource as registered: with the plugin that contributed it. */
export interface RegisteredResource extends Resource {
  readonly plugin: { name: string; version: string };
}
