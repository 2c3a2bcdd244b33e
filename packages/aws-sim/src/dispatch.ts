import { hasGroups } from './autoscaling/common.js';
import { advanceAutoScaling } from './autoscaling/engine.js';
import { AwsError } from './errors.js';
import { accessKeyIdOf, type ApiAnswer, type ApiRequest } from './protocol/protocol.js';
import { serviceFor } from './registry.js';
import { NO_CHANGE } from './service.js';
import type { CallRecord, Simulation } from './simulation.js';

/**
 * One AWS API call: finds its service, decodes it, logs it, meets the faults, runs the handler (a change on
 * the latest state, written before another simulator sees it) and encodes the answer or the error.
 */
export async function dispatch(
  sim: Simulation,
  req: ApiRequest,
): Promise<{ answer: ApiAnswer; call: CallRecord }> {
  const service = serviceFor(req);
  const { protocol } = service;
  const action = protocol.actionOf(req);
  const rid = sim.nextRequestId();
  const def = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
  // A body a protocol cannot read (malformed XML) is the caller's error, answered like any other.
  let input: Record<string, unknown> = {};
  let unreadable: unknown;
  try {
    input = protocol.decode(req, action);
  } catch (e) {
    unreadable = e;
  }
  const call: CallRecord = {
    time: sim.clock.now(),
    service: protocol.name,
    action,
    params: loggable(input),
    mutating: false,
    status: 200,
    requestId: rid,
    accessKeyId: accessKeyIdOf(req),
  };
  sim.calls.push(call);
  const fail = (e: AwsError) => {
    call.error = e.code;
    call.status = e.status;
    return { answer: protocol.encodeError(e, rid), call };
  };
  try {
    if (unreadable) throw unreadable;
    if (!def)
      throw (
        protocol.errors.unknownAction?.(action) ??
        new AwsError(
          'InvalidAction',
          `The action ${action || '(none)'} is not valid for this web service.`,
          400,
        )
      );
    sim.faults.beforeCall(protocol, action, input, {
      accessKeyId: call.accessKeyId,
      accountId: sim.ctx.state.accountId,
    });
    const prepared = def.prepare ? await def.prepare(input, sim.content) : undefined;
    // With Auto Scaling groups about, every call first catches up with what they did since (engine.ts):
    // a change to the state even for a look-up, so it runs like one, on the latest state.
    const engine = hasGroups(sim.ctx);
    let advanced = false;
    const handle = () => {
      advanced = engine && advanceAutoScaling(sim.ctx);
      let result: Record<string, unknown> | undefined;
      try {
        result = def.fn(sim.ctx, input, prepared) as Record<string, unknown> | undefined;
      } catch (e) {
        if (advanced) sim.commit();
        throw e;
      }
      call.mutating = def.mutating && !result?.[NO_CHANGE];
      if (call.mutating || advanced) sim.commit();
      return result;
    };
    const { value: result, adopted } =
      def.mutating || engine ? sim.onLatest(handle) : { value: handle(), adopted: false };
    if (call.mutating || adopted || advanced) await sim.dataPlane.sync();
    if (def.mutating && sim.faults.losesAnswer()) return fail(protocol.errors.internal());
    return { answer: protocol.encode(action, result, rid), call };
  } catch (e) {
    if (e instanceof AwsError)
      return fail(
        new AwsError(e.code, e.message, e.status === 400 ? protocol.statusFor(e.code) : e.status, e.details),
      );
    console.error(`aws-sim: ${protocol.name}:${action} crashed`, e);
    return fail(protocol.errors.internal());
  } finally {
    sim.ctx.syncRng();
  }
}

/** The input as the call log keeps it: bytes (an S3 object's body) as their length, not a copy of them. */
function loggable(input: Record<string, unknown>): Record<string, unknown> {
  if (!Object.values(input).some((v) => Buffer.isBuffer(v))) return input;
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, Buffer.isBuffer(v) ? `<${v.length} bytes>` : v]),
  );
}
