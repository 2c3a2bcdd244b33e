import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import {
  applyPlan,
  buildRegistry,
  createResourceContext,
  InterruptedError,
  planDeploy,
  type Resource,
} from '../src/index.js';
import { inWords } from '../src/output/progress.js';
import { noAws, testConfig } from './helpers.js';

/** A resource whose create waits until the test opens its gate (no timers: the test orders the run). */
function gated(
  id: string,
  title: string,
  dependsOn: string[],
  options: { fail?: string | Error; kind?: Resource['kind']; news?: string } = {},
) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const resource: Resource<{ id: string }> = {
    id,
    title,
    kind: options.kind,
    dependsOn,
    iam: [],
    discover: async () => undefined,
    create: async (ctx) => {
      if (options.news) ctx.progress(options.news);
      await gate;
      if (options.fail) throw typeof options.fail === 'string' ? new Error(options.fail) : options.fail;
      return { id };
    },
    destroy: async () => undefined,
  };
  return { resource, open };
}

/** Run a deploy of these plugins' resources with the plain-line renderer, collecting what it writes. */
async function deployWithLines(
  plugins: { name: string; resources: Resource[] }[],
  options: { noWait?: boolean } = {},
) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const registry = buildRegistry(
    plugins.map(({ name, resources }) => ({ plugin: { name, version: '1.0.0' }, resources })),
  );
  const outputs = new Map<string, unknown>();
  const context = (progress?: (message: string) => void) =>
    createResourceContext({ config: testConfig(), aws: noAws, outputs, progress });
  const plan = await planDeploy({ registry, outputs, context: () => context() });
  const signal = new AbortController().signal;
  const run = applyPlan({
    registry,
    plan,
    outputs,
    renderer: 'simple',
    progressStream: stream,
    signal,
    noWait: options.noWait,
    context: (_id, progress) => context(progress),
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { lines, run };
}

/** Wait (on the event loop, not a clock) until a line matching `pattern` has been written. */
async function lineMatching(lines: string[], pattern: RegExp): Promise<number> {
  for (;;) {
    const at = lines.findIndex((line) => pattern.test(line));
    if (at >= 0) return at;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('progress without a terminal (CI logs, pipes)', () => {
  it('prefixes every line with its task, and "waiting for" names only what is still pending, in words', async () => {
    const securityGroup = gated('network.alb-sg', 'Load balancer security group', [], {
      news: 'creating sg-1',
    });
    const loadBalancer = gated('alb.load-balancer', 'Load balancer', ['network.alb-sg']);
    const targetGroup = gated('alb.target-group', 'Target group', []);
    const listener = gated('alb.listener', 'Listener', ['alb.load-balancer', 'alb.target-group']);
    const { lines, run } = await deployWithLines([
      { name: '@site-cli/plugin-network', resources: [securityGroup.resource] },
      {
        name: '@site-cli/plugin-alb',
        resources: [loadBalancer.resource, targetGroup.resource, listener.resource],
      },
    ]);

    await lineMatching(lines, /^› alb › Listener: waiting for load balancer and target group$/);
    securityGroup.open();
    await lineMatching(lines, /^✔ network › Load balancer security group: created in \d+\.\ds$/);
    loadBalancer.open();
    await lineMatching(lines, /^› alb › Listener: waiting for target group$/);
    targetGroup.open();
    listener.open();
    assert.equal(await run, undefined);

    assert.ok(lines.includes('› network › Load balancer security group: creating sg-1'), lines.join('\n'));
    assert.ok(lines.includes('› alb › Load balancer: waiting for load balancer security group'));
    for (const line of lines)
      assert.match(
        line,
        /^[›✔↓✖] (network|alb)( › [A-Z][\w ]+)?(: .+)?$/,
        `a line without its task: ${line}`,
      );
    // A resource named in "waiting for" has not finished yet at that point.
    lines.forEach((line, at) => {
      const waiting = /: waiting for (.+)$/.exec(line)?.[1]?.toLowerCase();
      if (!waiting) return;
      for (const done of lines.slice(0, at).filter((l) => l.startsWith('✔ '))) {
        const title = /› ([^:]+):/.exec(done)?.[1]?.toLowerCase();
        assert.ok(!title || !waiting.split(/, | and /).includes(title), `"${line}" after "${done}"`);
      }
    });
    assert.deepEqual(
      lines.filter((line) => !line.includes(' › ')),
      ['✔ network', '✔ alb'],
      'each group ends ✔ when all its resources were done',
    );
  });

  it('shows a resource skipped after a failure as skipped, and its group as skipped too, never ✔', async () => {
    const instances = gated('compute.instances', 'EC2 instances', [], {
      fail: 'InsufficientInstanceCapacity',
    });
    const loadBalancer = gated('alb.load-balancer', 'Load balancer', []);
    const targets = gated('alb.targets', 'Targets', ['compute.instances', 'alb.load-balancer']);
    const { lines, run } = await deployWithLines([
      { name: '@site-cli/plugin-compute', resources: [instances.resource] },
      { name: '@site-cli/plugin-alb', resources: [loadBalancer.resource, targets.resource] },
    ]);
    loadBalancer.open();
    await lineMatching(lines, /^✔ alb › Load balancer: created/);
    instances.open();
    const error = await run;
    assert.ok(error instanceof Error);

    assert.ok(
      lines.includes('✖ compute › EC2 instances: failed: InsufficientInstanceCapacity'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('↓ alb › Targets: skipped (EC2 instances failed)'), lines.join('\n'));
    assert.ok(lines.includes('↓ alb: 1 skipped, 1 done'), lines.join('\n'));
    assert.ok(lines.includes('✖ compute: 1 failed'), lines.join('\n'));
    assert.ok(
      !lines.some((line) => /^✔ (alb|compute)$/.test(line)),
      'no group with a skipped or failed resource is ✔',
    );
    assert.ok(
      !lines.some((line) => line.includes('compute.instances')),
      'resources are named by title, not id',
    );
  });

  it('shows what Ctrl-C cut short as interrupted, not failed', async () => {
    const instances = gated('compute.instances', 'EC2 instances', [], { fail: new InterruptedError() });
    const targets = gated('alb.targets', 'Targets', ['compute.instances']);
    const { lines, run } = await deployWithLines([
      { name: '@site-cli/plugin-compute', resources: [instances.resource] },
      { name: '@site-cli/plugin-alb', resources: [targets.resource] },
    ]);
    instances.open();
    assert.ok((await run) instanceof InterruptedError);
    assert.ok(lines.includes('↓ compute › EC2 instances: interrupted'), lines.join('\n'));
    assert.ok(lines.includes('↓ alb › Targets: skipped (interrupted)'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('✖')), lines.join('\n'));
  });

  it('says deploy --no-wait left the readiness check out, rather than that it was ready', async () => {
    const loadBalancer = gated('alb.load-balancer', 'Load balancer', []);
    const check = gated('alb.site-health', 'Site answers', ['alb.load-balancer'], { kind: 'check' });
    const { lines, run } = await deployWithLines(
      [{ name: '@site-cli/plugin-alb', resources: [loadBalancer.resource, check.resource] }],
      { noWait: true },
    );
    loadBalancer.open();
    assert.equal(await run, undefined);
    assert.ok(lines.includes('↓ alb › Site answers: skipped (left out by --no-wait)'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('✔ alb › Site answers')));
  });
});

describe('"waiting for" in words', () => {
  it('joins titles as a sentence, lower-casing words but not acronyms', () => {
    assert.equal(inWords(['Load balancer']), 'load balancer');
    assert.equal(inWords(['Load balancer', 'Target group']), 'load balancer and target group');
    assert.equal(
      inWords(['Machine image', 'Key pair', 'EC2 instances', 'VPC and subnets']),
      'machine image, key pair, EC2 instances and VPC and subnets',
    );
  });
});
