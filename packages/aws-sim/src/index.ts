import type { FaultOptions } from './faults/options.js';
import { SimServer } from './server.js';
import type { CallListener, CallRecord, SimulatorOptions } from './simulation.js';

export type { CallListener, CallRecord, SimulatorOptions } from './simulation.js';
export type { FaultOptions } from './faults/options.js';
export type { LatencyProfile } from './profiles.js';
export type { SimState } from './state.js';
export type { Clock } from './clock.js';
export { profiles } from './profiles.js';
export { ManualClock, systemClock } from './clock.js';
export { templateFromUserData } from './data-plane.js';
export { readObject } from './s3/common.js';

export interface Simulator {
  readonly endpoint: string;
  readonly port: number;
  readonly calls: CallRecord[];
  callCounts(): Record<string, number>;
  mutatingCalls(): CallRecord[];
  /**
   * Where the load balancer's data plane answers on loopback: without a port, as its port-80 (or first HTTP)
   * listener; with a port, as the listener on that port (HTTPS ones answer plain HTTP: there is no TLS here).
   */
  dataPlaneUrl(dnsName: string, port?: number): string | undefined;
  snapshot(): unknown;
  reset(): void;
  setFaults(f: FaultOptions): void;
  /** Be told of every API call once handled, before its response goes out; returns the unsubscribe. */
  onCall(listener: CallListener): () => void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const server = new SimServer(options);
  await server.start();
  const s = server.sim;
  return {
    get endpoint() {
      return server.endpoint;
    },
    get port() {
      return server.port;
    },
    get calls() {
      return s.calls;
    },
    callCounts: () => s.callCounts(),
    mutatingCalls: () => s.calls.filter((c) => c.mutating),
    dataPlaneUrl: (dns, port) => s.dataPlaneUrl(dns, port),
    snapshot: () => s.snapshot(),
    reset: () => s.reset(),
    setFaults: (f) => s.setFaults(f),
    onCall: (listener) => s.onCall(listener),
    stop: () => server.stop(),
  };
}
