import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * `moto-server` (../shared/moto/moto-server): MOTO_SERVER when set, else `shared/moto/moto-server` in the
 * first folder above the repository that holds one (in CI the clone sits beside shared/).
 */
export function findMotoServer(): string | undefined {
  if (process.env.MOTO_SERVER) return process.env.MOTO_SERVER;
  for (let dir = REPO_ROOT; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'moto', 'moto-server');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/** The moto to test against: MOTO_URL when given (left running), else one started here on MOTO_PORT or a free port. */
export async function startMoto(): Promise<Moto> {
  if (process.env.MOTO_URL) return { url: process.env.MOTO_URL.replace(/\/+$/, ''), stop: async () => {} };
  const server = findMotoServer();
  if (!server)
    throw new Error(
      'moto-server not found: set MOTO_URL to a running moto, or MOTO_SERVER to the moto-server script ' +
        '(looked for shared/moto/moto-server in every folder above the repository).',
    );
  const port = Number(process.env.MOTO_PORT) || (await freePort());
  const { stdout } = await run(server, ['start', String(port)], { timeout: 300_000 });
  const url = /MOTO_URL=(\S+)/.exec(stdout)?.[1];
  if (!url) throw new Error(`moto-server start ${port} printed no MOTO_URL: ${stdout}`);
  return { url, stop: async () => void (await run(server, ['stop', String(port)]).catch(() => undefined)) };
}

/** An EC2 or ELBv2 Query action that changes something (everything but Describe*, Get*, List*). */
export const isMutating = (action: string) => !/^(Describe|Get|List)/.test(action);

/** A proxy in front of moto that records the path and action of every call `site` makes. */
export async function recordingProxy(
  target: string,
): Promise<{ url: string; actions: string[]; paths: string[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const actions: string[] = [];
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(request.url ?? '');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action');
      if (action) actions.push(action);
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The AWS CLI v2 (Debian's awscli at /usr/bin/aws, or AWS_CLI): the independent reader of end states. */
export async function awsCli(endpoint: string): Promise<(...args: string[]) => Promise<any>> {
  const bin = process.env.AWS_CLI ?? (existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws');
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const { stdout: version } = await run(bin, ['--version'], { env });
  if (!/^aws-cli\/2\./.test(version))
    throw new Error(
      `${bin} is ${version.trim()}: the conformance suite reads with the AWS CLI v2 (set AWS_CLI)`,
    );
  return async (...args: string[]) => {
    const { stdout } = await run(bin, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env,
      maxBuffer: 20 * 1024 * 1024,
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
}
