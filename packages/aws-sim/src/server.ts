import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerControl } from './control.js';
import { dispatch } from './dispatch.js';
import { Simulation, type SimulatorOptions } from './simulation.js';

/** The simulator on HTTP: control routes under /_sim/, every other request an AWS API call. */
export class SimServer {
  readonly sim: Simulation;
  private server?: Server;
  port = 0;

  constructor(private readonly opts: SimulatorOptions = {}) {
    this.sim = new Simulation(opts);
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
    await this.sim.dataPlane.sync();
  }

  async stop(): Promise<void> {
    await this.sim.close();
    const s = this.server;
    this.server = undefined;
    if (s)
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const body = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    // Another simulator sharing the state file may have changed it: answer from the latest state.
    await this.sim.catchUp();
    if (url.pathname.startsWith('/_sim/')) {
      const answer = answerControl(this.sim, this.endpoint, method, url, body);
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      return void res.end(answer.body);
    }
    const { answer, call } = await dispatch(this.sim, { method, url, headers: req.headers, body, bytes });
    await this.sim.notify(call);
    res.writeHead(answer.status, {
      ...answer.headers,
      'content-type': answer.contentType,
      'x-amzn-requestid': call.requestId,
    });
    res.end(answer.body);
  }
}
