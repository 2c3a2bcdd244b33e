import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from './clock.js';
import { type FaultOptions, SimContext } from './context.js';
import { DataPlane } from './data-plane.js';
import { type ActionDef, dryRunCheck, NO_CHANGE } from './ec2/common.js';
import { imageActions } from './ec2/images.js';
import { instanceActions } from './ec2/instances.js';
import { keyPairActions } from './ec2/key-pairs.js';
import { securityGroupActions } from './ec2/security-groups.js';
import { tagActions } from './ec2/tags.js';
import { vpcActions } from './ec2/vpcs.js';
import { accountLimitActions } from './elbv2/account-limits.js';
import { listenerActions } from './elbv2/listeners.js';
import { loadBalancerActions } from './elbv2/load-balancers.js';
import { sslPolicyActions } from './elbv2/ssl-policies.js';
import { elbTagActions } from './elbv2/tags.js';
import { targetGroupActions } from './elbv2/target-groups.js';
import { AwsError, statusFor } from './errors.js';
import { Prng, requestId } from './ids.js';
import { type LatencyProfile, resolveProfile } from './profiles.js';
import { ec2Response, ec2Error } from './protocol/ec2-xml.js';
import { elbv2Error, elbv2Response } from './protocol/elbv2-xml.js';
import { decodeInput, type ServiceModel } from './protocol/model.js';
import { ec2Model } from './protocol/models/ec2.js';
import { elbv2Model } from './protocol/models/elbv2.js';
import { parseQuery } from './protocol/query.js';
import { initialState, type SimState } from './state.js';
import { type FileStamp, sameStamp, StateFile } from './state-file.js';

export type Service = 'ec2' | 'elbv2';

export interface CallRecord {
  time: number;
  service: Service;
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
}

const SERVICES: Record<
  Service,
  { version: string; model: ServiceModel; actions: Record<string, ActionDef> }
> = {
  ec2: {
    version: '2016-11-15',
    model: ec2Model,
    actions: {
      ...vpcActions,
      ...imageActions,
      ...keyPairActions,
      ...securityGroupActions,
      ...instanceActions,
      ...tagActions,
    },
  },
  elbv2: {
    version: '2015-12-01',
    model: elbv2Model,
    actions: {
      ...targetGroupActions,
      ...loadBalancerActions,
      ...listenerActions,
      ...sslPolicyActions,
      ...elbTagActions,
      ...accountLimitActions,
    },
  },
};

export class SimServer {
  readonly calls: CallRecord[] = [];
  ctx: SimContext;
  readonly profile: LatencyProfile;
  private faultRng: Prng;
  private reqRng: Prng;
  private server?: Server;
  private dataPlane: DataPlane;
  private readonly clock: Clock;
  private readonly listeners = new Set<CallListener>();
  /** State changed since it was last written to the state file. */
  private changed = false;
  /** The shared state file, if any, and the version of it this simulator last read or wrote. */
  private readonly file?: StateFile;
  private fileStamp?: FileStamp;
  port = 0;

  constructor(private readonly opts: SimulatorOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.profile = resolveProfile(opts.profile, opts.timeScale ?? 1);
    let state: SimState | undefined;
    if (opts.stateFile) {
      this.file = new StateFile(opts.stateFile);
      const loaded = this.file.read();
      state = loaded?.state;
      this.fileStamp = loaded?.stamp;
    }
    state ??= this.fresh();
    this.ctx = new SimContext(state, this.clock, this.profile, { ...(opts.faults ?? {}) });
    this.ctx.limits = { ...(opts.limits ?? {}) };
    this.faultRng = new Prng(state.rng.faults);
    this.reqRng = new Prng(state.rng.requests);
    this.dataPlane = new DataPlane(() => this.ctx, opts.host ?? '127.0.0.1');
  }

  private fresh(): SimState {
    return initialState(
      this.opts.region ?? 'us-east-1',
      this.opts.accountId ?? '123456789012',
      this.opts.seed ?? 1,
    );
  }

  get endpoint(): string {
    const host = this.opts.host ?? '127.0.0.1';
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((e) => {
        console.error('aws-sim: unexpected error', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    await this.dataPlane.sync();
  }

  async stop(): Promise<void> {
    // Only a simulator that changed something writes: a reader (status, plan, a refused run) sharing the
    // state file with a writer would otherwise put back what it loaded, undoing the writer's work.
    if (this.changed) this.save();
    await this.dataPlane.closeAll();
    const s = this.server;
    this.server = undefined;
    if (s)
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
  }

  // --- public helpers
  snapshot(): SimState {
    this.syncRng();
    return structuredClone(this.ctx.state);
  }
  reset(): void {
    this.calls.length = 0;
    const apply = () => {
      // A reset is a change like any other: saved as the next generation, it outranks every state before it.
      const state = this.fresh();
      state.generation = this.generation();
      this.adopt(state);
      this.faultRng = new Prng(state.rng.faults);
      this.reqRng = new Prng(state.rng.requests);
      this.changed = true;
      this.save();
    };
    if (this.file) this.file.locked(() => (this.refresh(), apply()));
    else apply();
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
  callCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.action] = (out[c.action] ?? 0) + 1;
    return out;
  }

  private syncRng(): void {
    this.ctx.syncRng();
    this.ctx.state.rng.faults = this.faultRng.state;
    this.ctx.state.rng.requests = this.reqRng.state;
  }

  private generation(): number {
    return this.ctx.state.generation ?? 0;
  }

  private adopt(state: SimState): void {
    const { limits, faults } = this.ctx;
    this.ctx = new SimContext(state, this.clock, this.profile, faults);
    this.ctx.limits = limits;
  }

  /**
   * Takes up what another simulator sharing the state file wrote since this one last read or wrote it
   * (only a newer generation: never goes back). Keeps this simulator's own fault and request-id streams.
   * True when the state changed.
   */
  private refresh(): boolean {
    if (!this.file) return false;
    const stamp = this.file.stamp();
    if (!stamp || sameStamp(stamp, this.fileStamp)) return false;
    const loaded = this.file.read();
    if (!loaded) return false;
    this.fileStamp = loaded.stamp;
    if ((loaded.state.generation ?? 0) <= this.generation()) return false;
    this.adopt(loaded.state);
    return true;
  }

  /**
   * Writes the state as the next generation, atomically (temporary file + rename) and under the file's
   * lock. Callers that changed the state hold the lock from their refresh on; a simulator that finds a
   * newer generation on disk here (it changed nothing since, e.g. on stop) leaves the newer one alone.
   */
  private save(): void {
    if (!this.file) return;
    const write = () => {
      const stamp = this.file!.stamp();
      if (stamp && !sameStamp(stamp, this.fileStamp)) {
        const onDisk = this.file!.read();
        if (onDisk && (onDisk.state.generation ?? 0) >= this.generation() + 1) {
          this.changed = false;
          return;
        }
      }
      this.changed = false;
      this.syncRng();
      this.ctx.state.generation = this.generation() + 1;
      this.fileStamp = this.file!.write(this.ctx.state);
    };
    this.file.locked(write);
  }

  // --- HTTP
  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    // Another simulator sharing the state file may have changed it: answer from the latest state.
    if (this.refresh()) await this.dataPlane.sync();
    if (url.pathname.startsWith('/_sim/')) return this.control(req.method ?? 'GET', url, body, res);
    const { flat, tree } = parseQuery([url.search.slice(1), body].filter(Boolean).join('&'));
    const out = await this.dispatch(flat, tree, req.headers.authorization);
    if (this.listeners.size > 0) {
      const call = this.calls.findLast((c) => c.requestId === out.requestId);
      if (call) for (const listener of [...this.listeners]) await listener(call);
    }
    res.writeHead(out.status, {
      'content-type': 'text/xml;charset=UTF-8',
      'x-amzn-requestid': out.requestId,
    });
    res.end(out.body);
  }

  private control(method: string, url: URL, body: string, res: ServerResponse): void {
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /_sim/data-plane': {
        const port = url.searchParams.get('port');
        const u = this.dataPlaneUrl(url.searchParams.get('dnsName') ?? '', port ? Number(port) : undefined);
        return u
          ? json(200, { url: u })
          : json(404, { error: port ? 'no such load balancer or listener port' : 'no such load balancer' });
      }
      case 'GET /_sim/calls':
        return json(200, { calls: this.calls, counts: this.callCounts() });
      case 'GET /_sim/state':
        return json(200, this.snapshot());
      case 'POST /_sim/reset':
        this.reset();
        return json(200, { ok: true });
      case 'POST /_sim/faults':
        try {
          this.setFaults(JSON.parse(body || '{}'));
          return json(200, { ok: true });
        } catch {
          return json(400, { error: 'invalid JSON' });
        }
      case 'GET /_sim/health':
        return json(200, {
          ok: true,
          endpoint: this.endpoint,
          region: this.ctx.state.region,
          pid: process.pid,
        });
      case 'GET /_sim/checkip':
        // Stands in for checkip.amazonaws.com in the sandbox: a documentation address (RFC 5737).
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end('203.0.113.10\n');
      default:
        return json(404, { error: `no control route ${route}` });
    }
  }

  private pickService(flat: Record<string, string>, auth: string | undefined): Service {
    if (flat.Version === SERVICES.elbv2.version) return 'elbv2';
    if (flat.Version === SERVICES.ec2.version) return 'ec2';
    const scope = /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\//.exec(auth ?? '')?.[1];
    if (scope === 'elasticloadbalancing') return 'elbv2';
    if (flat.Action && flat.Action in SERVICES.elbv2.actions && !(flat.Action in SERVICES.ec2.actions))
      return 'elbv2';
    return 'ec2';
  }

  async dispatch(
    flat: Record<string, string>,
    tree: Parameters<typeof decodeInput>[2],
    auth?: string,
  ): Promise<{ status: number; body: string; requestId: string }> {
    const service = this.pickService(flat, auth);
    const svc = SERVICES[service];
    const action = flat.Action ?? '';
    const rid = requestId(this.reqRng);
    const def = Object.hasOwn(svc.actions, action) ? svc.actions[action] : undefined;
    const op = svc.model.operations[action];
    const input = (op?.input ? decodeInput(svc.model, op.input, tree) : undefined) ?? {};
    const record: CallRecord = {
      time: this.clock.now(),
      service,
      action,
      params: input,
      mutating: false,
      status: 200,
      requestId: rid,
      accessKeyId: /Credential=([^/,\s]+)\//.exec(auth ?? '')?.[1],
    };
    this.calls.push(record);
    const fail = (e: AwsError) => {
      record.error = e.code;
      record.status = e.status;
      return {
        status: e.status,
        body:
          service === 'ec2'
            ? ec2Error(e.code, e.message, rid)
            : elbv2Error(e.code, e.message, rid, e.status < 500),
        requestId: rid,
      };
    };
    try {
      if (!def)
        throw new AwsError(
          'InvalidAction',
          `The action ${action || '(none)'} is not valid for this web service.`,
          400,
        );
      this.injectFaults(service, action, input as Record<string, unknown>, auth);
      const handle = () => {
        const result = def.fn(this.ctx, input) as Record<string, unknown>;
        // Every EC2 action honours DryRun: a look-up that validated answers DryRunOperation, not data.
        if (service === 'ec2' && (input as { DryRun?: boolean }).DryRun) dryRunCheck({ DryRun: true });
        record.mutating = def.mutating && !result?.[NO_CHANGE];
        if (record.mutating) {
          this.changed = true;
          this.save();
        }
        return result;
      };
      // A change is made on the latest state and written before another simulator may read or change it.
      let adopted = false;
      const result =
        def.mutating && this.file ? this.file.locked(() => ((adopted = this.refresh()), handle())) : handle();
      if (record.mutating || adopted) await this.dataPlane.sync();
      // Drawn only when asked for, so seeds keep their fault sequences otherwise.
      const lost = this.ctx.faults.lostResponseRate ?? 0;
      if (def.mutating && lost > 0 && this.faultRng.next() < lost)
        return fail(
          new AwsError(
            service === 'ec2' ? 'InternalError' : 'InternalFailure',
            'An internal error has occurred',
            500,
          ),
        );
      const xml = service === 'ec2' ? ec2Response(action, result, rid) : elbv2Response(action, result, rid);
      return { status: 200, body: xml, requestId: rid };
    } catch (e) {
      if (e instanceof AwsError)
        return fail(
          new AwsError(e.code, e.message, e.status === 400 ? statusFor(service, e.code) : e.status),
        );
      console.error(`aws-sim: ${service}:${action} crashed`, e);
      return fail(
        new AwsError(
          service === 'ec2' ? 'InternalError' : 'InternalFailure',
          'An internal error has occurred',
          500,
        ),
      );
    } finally {
      this.ctx.syncRng();
    }
  }

  /**
   * The deny entry for this call, if any: the action itself, or the tagging action AWS authorizes too when
   * a create carries tags (ec2:CreateTags for TagSpecifications, elasticloadbalancing:AddTags for Tags).
   */
  private deniedBy(service: Service, action: string, input: Record<string, unknown>) {
    const deny = this.ctx.faults.deny;
    if (!deny) return undefined;
    const lookUp = (name: string) =>
      deny[`${service}:${name}`] ??
      (service === 'elbv2' ? deny[`elasticloadbalancing:${name}`] : undefined) ??
      deny[name];
    const own = lookUp(action);
    if (own) return { code: own, action };
    const tagging =
      service === 'ec2'
        ? ((input.TagSpecifications as { Tags?: unknown[] }[] | undefined) ?? []).some((s) => s.Tags?.length)
        : action.startsWith('Create') && ((input.Tags as unknown[] | undefined) ?? []).length > 0;
    const tagAction = service === 'ec2' ? 'CreateTags' : 'AddTags';
    const implied = tagging ? lookUp(tagAction) : undefined;
    return implied ? { code: implied, action: tagAction } : undefined;
  }

  /** Seeded fault draws: one per API call, so a given seed and call sequence always fails the same way. */
  private injectFaults(
    service: Service,
    action: string,
    input: Record<string, unknown>,
    auth?: string,
  ): void {
    const f = this.ctx.faults;
    rejectCredentials(service, f.rejectCredentials, auth);
    const deniedBy = this.deniedBy(service, action, input);
    const denied = deniedBy?.code;
    const u = this.faultRng.next();
    const v = this.faultRng.next();
    if (denied) {
      const msg =
        service === 'ec2'
          ? 'You are not authorized to perform this operation.'
          : `User: arn:aws:iam::${this.ctx.state.accountId}:user/sim is not authorized to perform: elasticloadbalancing:${deniedBy.action}`;
      throw new AwsError(
        denied,
        msg,
        statusFor(service, denied) === 400 && /Unauthorized|AccessDenied/.test(denied)
          ? 403
          : statusFor(service, denied),
      );
    }
    const throttle = f.throttleRate ?? 0;
    const server = f.serverErrorRate ?? 0;
    if (u < throttle)
      throw service === 'ec2'
        ? new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503)
        : new AwsError('Throttling', 'Rate exceeded', 400);
    if (u < throttle + server) {
      if (service === 'ec2')
        throw v < 0.5
          ? new AwsError('InternalError', 'An internal error has occurred', 500)
          : new AwsError('Unavailable', 'The service is unavailable. Please try again shortly.', 503);
      throw v < 0.5
        ? new AwsError(
            'InternalFailure',
            'The request processing has failed because of an unknown error, exception or failure.',
            500,
          )
        : new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503);
    }
  }
}

/** Credentials AWS refuses before looking at the request (faults.rejectCredentials), by access key id. */
function rejectCredentials(
  service: Service,
  rejected: FaultOptions['rejectCredentials'],
  auth: string | undefined,
): void {
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(auth ?? '')?.[1];
  const how = accessKeyId === undefined ? undefined : rejected?.[accessKeyId];
  if (how === 'expired') {
    throw service === 'ec2'
      ? new AwsError('RequestExpired', 'Request has expired.', 400)
      : new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
  }
  if (how === 'invalid') {
    throw service === 'ec2'
      ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401)
      : new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
}
