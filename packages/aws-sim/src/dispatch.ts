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
  const input = protocol.decode(req, action);
  const call: CallRecord = {
    time: sim.clock.now(),
    service: protocol.name,
    action,
    params: input,
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
    if (!def)
      throw new AwsError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`,
        400,
      );
    sim.faults.beforeCall(protocol, action, input, {
      accessKeyId: call.accessKeyId,
      accountId: sim.ctx.state.accountId,
    });
    const prepared = def.prepare ? await def.prepare(input, sim.content) : undefined;
    const handle = () => {
      const result = def.fn(sim.ctx, input, prepared) as Record<string, unknown> | undefined;
      call.mutating = def.mutating && !result?.[NO_CHANGE];
      if (call.mutating) sim.commit();
      return result;
    };
    const { value: result, adopted } = def.mutating
      ? sim.onLatest(handle)
      : { value: handle(), adopted: false };
    if (call.mutating || adopted) await sim.dataPlane.sync();
    if (def.mutating && sim.faults.losesAnswer()) return fail(protocol.errors.internal());
    return { answer: protocol.encode(action, result, rid), call };
  } catch (e) {
    if (e instanceof AwsError)
      return fail(new AwsError(e.code, e.message, e.status === 400 ? protocol.statusFor(e.code) : e.status));
    console.error(`aws-sim: ${protocol.name}:${action} crashed`, e);
    return fail(protocol.errors.internal());
  } finally {
    sim.ctx.syncRng();
  }
}
