import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Simulator } from '../src/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function clients(sim: Simulator) {
  const cfg = {
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return { ec2: new EC2Client(cfg), elb: new ElasticLoadBalancingV2Client(cfg) };
}

/** ACM and Route 53 clients of the simulator (ACM is regional: `region` picks which). */
export function domainClients(sim: Simulator, region = 'us-east-1') {
  const cfg = {
    endpoint: sim.endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return { acm: new ACMClient(cfg), route53: new Route53Client(cfg) };
}

/** Runs fn and returns the error it throws (fails if it does not throw). */
export async function failure(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 5000,
  stepMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await sleep(stepMs);
  }
}

export const userData = (body: string) => Buffer.from(body).toString('base64');
export const HTTPD_USER_DATA = userData(
  '#!/bin/bash\ndnf install -y httpd unzip\ncd /tmp && curl -fsSLO https://www.tooplate.com/zip-templates/2137_barista_cafe.zip\nunzip 2137_barista_cafe.zip\ncp -r 2137_barista_cafe/* /var/www/html/\nsystemctl enable --now httpd\n',
);

/** An HTTP listener on port 80 forwarding to a target group: the listener every site has. */
export async function httpForwardListener(
  l: ElasticLoadBalancingV2Client,
  loadBalancerArn: string | undefined,
  targetGroupArn: string | undefined,
): Promise<Listener> {
  const answer = await l.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  return answer.Listeners![0]!;
}

/** The Amazon Linux 2023 image site looks up by default. */
export async function al2023Image(e: EC2Client): Promise<Image> {
  const answer = await e.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
    }),
  );
  return answer.Images![0]!;
}

/** Wait until an instance is running: AWS registers no target before that. */
export async function untilRunning(e: EC2Client, instanceId: string): Promise<void> {
  await until(
    () => e.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    (r) => r.Reservations?.[0]?.Instances?.[0]?.State?.Name === 'running',
  );
}
