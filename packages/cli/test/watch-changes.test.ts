import { strict as assert } from 'node:assert';
import type { ResourceStatus } from '@site-cli/core';
import { changeLine, siteHealth, statusChanges } from '../src/watch/changes.js';
import { parseDuration } from '../src/watch/flags.js';
import { watchStatus } from '../src/watch/loop.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cafe-tg/84bac7422457ac24';

/** A status as discovery returns it, with the instances, targets and site check in the states given. */
function status(options: {
  instance?: string;
  target?: { state: string; reason?: string };
  http?: number | 'no answer';
  lb?: string;
}): ResourceStatus[] {
  const target = options.target;
  const groups: ResourceStatus[] = [
    {
      resourceId: 'alb.load-balancer',
      title: 'Load balancer',
      rows: options.lb
        ? [
            {
              name: 'cafe-alb',
              id: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cafe-alb/481079a68eb7a4c9',
              state: options.lb,
              detail: 'cafe-alb-1.elb.example',
            },
          ]
        : [{ name: 'Load balancer', id: '-', state: 'absent' }],
    },
    {
      resourceId: 'compute.instances',
      title: 'EC2 instances',
      rows: options.instance
        ? [{ name: 'instance 1', id: 'i-0a0e2871fdbedc6ff', state: options.instance }]
        : [{ name: 'EC2 instances', id: '-', state: 'absent' }],
    },
  ];
  if (target) {
    groups.push(
      {
        resourceId: 'alb.targets',
        title: 'Targets',
        rows: [
          {
            name: 'target',
            id: 'i-0a0e2871fdbedc6ff',
            state: target.state,
            detail: target.reason && `${target.reason}: in ${TG}`,
          },
        ],
      },
      {
        resourceId: 'alb.site-health',
        title: 'Site answers',
        rows: [
          { name: 'target', id: 'i-0a0e2871fdbedc6ff', state: target.state, detail: target.reason },
          {
            name: 'HTTP GET',
            id: 'http://cafe-alb-1.elb.example/',
            state: String(options.http ?? 'no answer'),
          },
        ],
        summary: {
          url: 'http://cafe-alb-1.elb.example/',
          healthyTargets: `${target.state === 'healthy' ? 1 : 0}/1`,
          http: typeof options.http === 'number' ? options.http : undefined,
        },
      },
    );
  }
  return groups;
}

describe('status --watch: what counts as a change, and how it reads', () => {
  it('the first refresh is the baseline; the same status again is no change', () => {
    const now = status({ lb: 'active', instance: 'running' });
    assert.deepEqual(statusChanges(undefined, now), []);
    assert.deepEqual(statusChanges(now, status({ lb: 'active', instance: 'running' })), []);
  });

  it('a state change is one line naming the resource, the row and its short id, from → to', () => {
    const changes = statusChanges(status({ lb: 'provisioning' }), status({ lb: 'active' }));
    assert.equal(changes.length, 1);
    assert.equal(changeLine(changes[0]!), 'Load balancer cafe-alb 481079a68eb7a4c9: provisioning → active');
    assert.deepEqual(changes[0]!.from, { state: 'provisioning', detail: 'cafe-alb-1.elb.example' });
    assert.deepEqual(changes[0]!.to, { state: 'active', detail: 'cafe-alb-1.elb.example' });
  });

  it("a target's reason code changing within one state is a change; ARNs in details are shortened", () => {
    const before = status({
      lb: 'active',
      instance: 'running',
      target: { state: 'initial', reason: 'Elb.RegistrationInProgress' },
    });
    const after = status({
      lb: 'active',
      instance: 'running',
      target: { state: 'initial', reason: 'Elb.InitialHealthChecking' },
    });
    const lines = statusChanges(before, after).map(changeLine);
    assert.deepEqual(lines, [
      'Targets target i-0a0e2871fdbedc6ff: initial, Elb.RegistrationInProgress: in targetgroup/cafe-tg/84bac7422457ac24 → Elb.InitialHealthChecking: in targetgroup/cafe-tg/84bac7422457ac24',
    ]);
  });

  it('a target going healthy is told once even though two resources list it, whichever refresh each sees it in', () => {
    const told = new Map<string, string>();
    const initial = { state: 'initial', reason: 'Elb.InitialHealthChecking' };
    const before = status({ lb: 'active', instance: 'running', target: initial });
    const both = status({ lb: 'active', instance: 'running', target: { state: 'healthy' }, http: 200 });
    const lines = statusChanges(before, both, told).map(changeLine);
    assert.deepEqual(lines, [
      'Targets target i-0a0e2871fdbedc6ff: initial (Elb.InitialHealthChecking: in targetgroup/cafe-tg/84bac7422457ac24) → healthy',
      'Site answers HTTP GET http://cafe-alb-1.elb.example/: no answer → 200',
    ]);

    // The site check seeing the same transition a refresh later stays quiet; the targets seeing a new one do not.
    const lagging = status({ lb: 'active', instance: 'running', target: initial });
    lagging[2]!.rows[0]!.state = 'healthy';
    lagging[2]!.rows[0]!.detail = undefined;
    assert.deepEqual(statusChanges(lagging, both, told).map(changeLine), [
      'Site answers HTTP GET http://cafe-alb-1.elb.example/: no answer → 200',
    ]);
    const unhealthy = status({
      lb: 'active',
      instance: 'running',
      target: { state: 'unhealthy', reason: 'Target.Timeout' },
    });
    assert.deepEqual(statusChanges(both, unhealthy, told).map(changeLine).slice(0, 1), [
      'Targets target i-0a0e2871fdbedc6ff: healthy → unhealthy (Target.Timeout: in targetgroup/cafe-tg/84bac7422457ac24)',
    ]);
  });

  it('rows that appear and go are told as such; an absent row leaving is not a change of its own', () => {
    const appeared = statusChanges(status({}), status({ instance: 'pending' })).map(changeLine);
    assert.deepEqual(appeared, ['EC2 instances instance 1 i-0a0e2871fdbedc6ff: appeared, pending']);
    const gone = statusChanges(status({ instance: 'shutting-down' }), status({})).map(changeLine);
    assert.deepEqual(gone, [
      'EC2 instances: absent',
      'EC2 instances instance 1 i-0a0e2871fdbedc6ff: gone (was shutting-down)',
    ]);
  });

  it('healthy means every target healthy, at least one, and HTTP 200; otherwise it says what is missing', () => {
    assert.deepEqual(siteHealth(status({ lb: 'active' })), {
      healthy: false,
      waitingFor: 'the load balancer and its targets (not found yet)',
    });
    assert.deepEqual(
      siteHealth(
        status({
          lb: 'active',
          instance: 'running',
          target: { state: 'initial', reason: 'Elb.InitialHealthChecking' },
          http: 503,
        }),
      ),
      {
        healthy: false,
        waitingFor: 'targets 0/1 healthy: i-0a0e2871fdbedc6ff initial (Elb.InitialHealthChecking); HTTP 503',
      },
    );
    assert.equal(
      siteHealth(status({ lb: 'active', instance: 'running', target: { state: 'healthy' }, http: 503 }))
        .healthy,
      false,
    );
    assert.deepEqual(
      siteHealth(status({ lb: 'active', instance: 'running', target: { state: 'healthy' }, http: 200 })),
      { healthy: true },
    );
  });

  it('an HTTP check skipped (an emulator whose load balancer resolves nowhere) does not hold up healthy targets', () => {
    const groups = status({ lb: 'active', instance: 'running', target: { state: 'healthy' } });
    const check = groups.find((group) => group.resourceId === 'alb.site-health')!;
    check.summary = { ...check.summary, http: 'skipped' };
    check.rows[1] = {
      name: 'HTTP GET',
      id: 'http://cafe-alb-1.elb.example/',
      state: 'skipped',
      detail: 'the DNS name does not resolve from here',
    };
    assert.deepEqual(siteHealth(groups), {
      healthy: true,
      httpSkipped: 'the DNS name does not resolve from here',
    });
  });

  it('durations: a bare number is seconds; units ms, s, m, h; anything else is refused', () => {
    assert.equal(parseDuration('5'), 5000);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    for (const bad of ['', '0', '-1', '2x', 'soon', '1e3']) assert.equal(parseDuration(bad), undefined, bad);
  });
});

describe('status --watch: the loop', () => {
  const healthy = status({ lb: 'active', instance: 'running', target: { state: 'healthy' }, http: 200 });
  const starting = status({ lb: 'active', instance: 'running', target: { state: 'initial' }, http: 503 });
  const noInterrupt = () => () => {};

  it('--until healthy ends at the first healthy refresh, with the changes that led there', async () => {
    const answers = [starting, starting, healthy];
    const seen: string[] = [];
    const outcome = await watchStatus({
      refresh: async () => answers.shift()!,
      intervalMs: 1,
      timeoutMs: 60_000,
      until: 'healthy',
      view: { refreshed: ({ changes }) => void seen.push(...changes.map(changeLine)), failed() {} },
      onInterrupt: noInterrupt,
    });
    assert.equal(outcome.end, 'healthy');
    assert.equal(outcome.refreshes, 3);
    assert.deepEqual(outcome.changes.map(changeLine), seen);
    assert.ok(seen.includes('Targets target i-0a0e2871fdbedc6ff: initial → healthy'), seen.join('\n'));
  });

  it('a failed refresh after the first is shown and the watch goes on; the first one is the command’s error', async () => {
    const failures: string[] = [];
    const answers: Array<ResourceStatus[] | Error> = [starting, new Error('throttled'), healthy];
    const outcome = await watchStatus({
      refresh: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      intervalMs: 1,
      timeoutMs: 60_000,
      until: 'healthy',
      view: { refreshed() {}, failed: (error) => void failures.push(error.message) },
      onInterrupt: noInterrupt,
    });
    assert.equal(outcome.end, 'healthy');
    assert.deepEqual(failures, ['throttled']);
    await assert.rejects(
      watchStatus({
        refresh: () => Promise.reject(new Error('no credentials')),
        intervalMs: 1,
        timeoutMs: 60_000,
        view: { refreshed() {}, failed() {} },
        onInterrupt: noInterrupt,
      }),
      /no credentials/,
    );
  });

  it('ends "stopped" when interrupted, and "timeout" when --until is not met in time', async () => {
    let stop = () => {};
    const stopped = await watchStatus({
      refresh: async () => (setImmediate(stop), starting),
      intervalMs: 60_000,
      timeoutMs: 60_000,
      view: { refreshed() {}, failed() {} },
      onInterrupt: (callback) => ((stop = callback), () => {}),
    });
    assert.equal(stopped.end, 'stopped');
    assert.equal(stopped.last, starting);
    const timedOut = await watchStatus({
      refresh: async () => starting,
      intervalMs: 5,
      timeoutMs: 20,
      until: 'healthy',
      view: { refreshed() {}, failed() {} },
      onInterrupt: noInterrupt,
    });
    assert.equal(timedOut.end, 'timeout');
    assert.equal(timedOut.health.healthy, false);
  });
});
