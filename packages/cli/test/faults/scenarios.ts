import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SimState } from '@site-cli/aws-sim';
import { awsCli } from '../moto/moto.js';
import { KINDS, Lab, type LabOptions, type LabRun } from './lab.js';

export interface Scenario {
  name: string;
  lab: LabOptions;
  run(lab: Lab): Promise<void>;
}

export interface ScenarioResult {
  name: string;
  seed: number;
  converged: boolean;
  duplicates: number;
  orphans: number;
  problems: string[];
  ms: number;
  calls: number;
  /** API calls the simulator failed on purpose or by design (throttling, 5xx, DependencyViolation…). */
  failedCalls: number;
}

/** Deploy, check it answers with exactly the expected resources; destroy, check nothing is left. */
async function deployThenDestroy(lab: Lab): Promise<void> {
  await lab.expectDeployed(await lab.run(['deploy']));
  lab.expectDestroyed(await lab.run(['destroy']));
}

function faulty(name: string, seed: number, faults: LabOptions['faults'], instances = 1): Scenario {
  return { name, lab: { seed, faults, instances }, run: deployThenDestroy };
}

/** Ctrl-C right after the simulator handled `action` (its `occurrence`-th time); then deploy converges and destroy cleans up. */
function interruptedDeploy(
  action: string,
  occurrence = 1,
  options: { seed?: number; faults?: LabOptions['faults']; also?: string } = {},
): Scenario {
  const nth = occurrence > 1 ? ` (#${occurrence})` : '';
  return {
    name: `SIGINT after ${action}${nth}${options.also ? ` ${options.also}` : ''}, then deploy and destroy`,
    lab: { seed: options.seed ?? 100, faults: options.faults },
    async run(lab) {
      const interrupted = await lab.interruptAfter(['deploy'], action, occurrence);
      if (!lab.check(interrupted.interruptedAt !== undefined, `the deploy never called ${action}${nth}`))
        return;
      lab.expectExit(interrupted, 130, 'interrupted deploy');
      await lab.expectDeployed(await lab.run(['deploy']), 'deploy after the interrupt');
      lab.expectDestroyed(await lab.run(['destroy']));
    },
  };
}

/** What an interrupted run may leave half-way, as the simulator's state shows it at `now`. */
interface InTransit {
  /** In the user's words: 'its instance pending'. */
  what: string;
  /** The call with which a re-run first looks at it. */
  lookup: string;
  found(lab: Lab, state: SimState, now: number): boolean;
}

const INSTANCE_PENDING: InTransit = {
  what: 'its instance pending',
  lookup: 'DescribeInstances',
  found: (lab, state, now) =>
    state.instances.some(
      (i) => i.terminateTime === undefined && now - i.launchTime < lab.profile.instancePendingMs,
    ),
};

const LOAD_BALANCER_PROVISIONING: InTransit = {
  what: 'the load balancer provisioning',
  lookup: 'DescribeLoadBalancers',
  found: (lab, state, now) =>
    state.loadBalancers.some((lb) => now - lb.createdAt < lab.profile.lbProvisioningMs),
};

const INSTANCE_SHUTTING_DOWN: InTransit = {
  what: 'its instance shutting down',
  lookup: 'DescribeInstances',
  found: (lab, state, now) =>
    state.instances.some(
      (i) => i.terminateTime !== undefined && now - i.terminateTime < lab.profile.instanceShuttingDownMs,
    ),
};

/**
 * Run `command` and look, when it first makes `transit.lookup`, whether the simulator holds what the scenario
 * means it to meet; a scenario whose re-run came too late to meet it tests nothing, and says so.
 */
async function runMeeting(lab: Lab, command: string, transit: InTransit) {
  let met: boolean | undefined;
  const off = lab.sim.onCall((call) => {
    if (met !== undefined || call.action !== transit.lookup || call.error) return;
    met = transit.found(lab, lab.sim.snapshot() as SimState, Date.now());
  });
  const run = await lab.run([command]).finally(off);
  lab.check(
    met === true,
    `the ${command} after the interrupt did not meet ${transit.what}: this scenario tested nothing`,
  );
  return run;
}

/**
 * Under AWS-like timing, Ctrl-C right after `action` and deploy again at once: the re-run meets what the first
 * left in transit and must wait for it before using it, exactly as if it had started it (a pending instance
 * registered as a target is refused by AWS: InvalidTarget).
 */
function resumedInTransit(action: string, transit: InTransit, seed: number): Scenario {
  return {
    name: `SIGINT after ${action} under AWS-like timing, then deploy at once (meets ${transit.what}) and destroy`,
    lab: { seed, timing: 'aws-like' },
    async run(lab) {
      const interrupted = await lab.interruptAfter(['deploy'], action);
      if (!lab.check(interrupted.interruptedAt !== undefined, `the deploy never called ${action}`)) return;
      lab.expectExit(interrupted, 130, 'interrupted deploy');
      await lab.expectDeployed(await runMeeting(lab, 'deploy', transit), 'deploy right after the interrupt');
      lab.expectDestroyed(await lab.run(['destroy']));
    },
  };
}

/** Under AWS-like timing, Ctrl-C in destroy right after TerminateInstances and destroy again at once. */
const resumedDestroyInTransit: Scenario = {
  name: 'SIGINT in destroy after TerminateInstances under AWS-like timing, then destroy at once (meets its instance shutting down)',
  lab: { seed: 122, timing: 'aws-like' },
  async run(lab) {
    await lab.expectDeployed(await lab.run(['deploy']));
    const interrupted = await lab.interruptAfter(['destroy'], 'TerminateInstances');
    if (!lab.check(interrupted.interruptedAt !== undefined, 'the destroy never called TerminateInstances'))
      return;
    lab.expectExit(interrupted, 130, 'interrupted destroy');
    lab.expectDestroyed(
      await runMeeting(lab, 'destroy', INSTANCE_SHUTTING_DOWN),
      'destroy right after the interrupt',
    );
  },
};

/** Ctrl-C while the deploy is still looking: it stops before changing anything. */
const interruptedPlan: Scenario = {
  name: 'SIGINT while planning (after DescribeVpcs): nothing created, then deploy and destroy',
  lab: { seed: 102 },
  async run(lab) {
    const interrupted = await lab.interruptAfter(['deploy'], 'DescribeVpcs');
    if (!lab.check(interrupted.interruptedAt !== undefined, 'the deploy never called DescribeVpcs')) return;
    lab.expectExit(interrupted, 130, 'interrupted deploy');
    const changes = lab.sim.mutatingCalls().map((c) => c.action);
    lab.check(changes.length === 0, `the interrupted deploy still changed AWS: ${changes.join(', ')}`);
    await lab.expectDeployed(await lab.run(['deploy']), 'deploy after the interrupt');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

function interruptedDestroy(action: string, seed: number): Scenario {
  return {
    name: `SIGINT in destroy after ${action}, then destroy again`,
    lab: { seed },
    async run(lab) {
      await lab.expectDeployed(await lab.run(['deploy']));
      const interrupted = await lab.interruptAfter(['destroy'], action);
      if (!lab.check(interrupted.interruptedAt !== undefined, `the destroy never called ${action}`)) return;
      lab.expectExit(interrupted, 130, 'interrupted destroy');
      lab.expectDestroyed(await lab.run(['destroy']), 'destroy after the interrupt');
    },
  };
}

/** Two deploys of the site started at the same moment from one machine: the lock lets one through. */
const sameMachine: Scenario = {
  name: 'two deploys at the same moment on one machine',
  lab: { seed: 300 },
  async run(lab) {
    const first = lab.start(['deploy']);
    const second = lab.start(['deploy']);
    const runs = await Promise.all([first.done, second.done]);
    const winners = runs.filter((r) => r.code === 0);
    const refused = runs.filter((r) => r.json?.error?.code === 'SITE_LOCKED');
    if (
      !lab.check(
        winners.length === 1 && refused.length === 1,
        `expected one deploy to run and one to be refused with SITE_LOCKED; got exits ${runs
          .map((r) => `${r.code} ${r.json?.error?.code ?? ''}`)
          .join(', ')}`,
      )
    )
      return;
    const loser = refused[0]!;
    const holderPid = runs[0] === loser ? second.pid : first.pid;
    lab.expectExit(loser, 1, 'refused deploy');
    lab.check(
      loser.json!.error!.message.includes(`pid ${holderPid}`),
      `the refusal names the running deploy (pid ${holderPid}): ${loser.json!.error!.message}`,
    );
    await lab.expectDeployed(winners[0]!);
    // The lock went with the winner: a later deploy runs, and finds nothing to do.
    const again = await lab.run(['deploy']);
    lab.expectExit(again, 0, 'deploy after both');
    lab.check(again.json?.result?.changed === false, 'a deploy after both still found changes');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

/**
 * Two machines (separate project folders and data dirs) deploy the site at the same moment: no lock is
 * shared, every create must be idempotent. One of them got the key pair's private key; it destroys.
 */
function twoMachines(name: string, seed: number, faults?: LabOptions['faults']): Scenario {
  return {
    name,
    lab: { seed, faults },
    async run(lab) {
      const other = lab.machine();
      lab.machines.push(other);
      const stopHolding = lab.startTogether(lab.machines);
      const runs = await Promise.all([lab.run(['deploy']), lab.run(['deploy'], other)]).finally(stopHolding);
      const racers = new Set(
        lab.sim.calls.filter((c) => c.action === 'CreateSecurityGroup').map((c) => c.accessKeyId),
      );
      lab.check(racers.size === 2, 'the two deploys did not both try to create the security groups');
      await lab.expectDeployed(runs[0]!, 'deploy on machine A');
      await lab.expectDeployed(runs[1]!, 'deploy on machine B');
      lab.check(
        runs[0]!.json?.result?.url === runs[1]!.json?.result?.url,
        'the two machines report different URLs',
      );
      const withKey = lab.machines.filter((m) => existsSync(path.join(m.dir, `${lab.site}-key.pem`)));
      if (!lab.check(withKey.length === 1, `${withKey.length} machines hold the private key, expected 1`))
        return;
      lab.expectDestroyed(await lab.run(['destroy'], withKey[0]));
    },
  };
}

/** Every fault at once, and a Ctrl-C in the middle. */
const everything: Scenario = {
  name: 'throttling, 5xx and eventual consistency at once, SIGINT after CreateLoadBalancer',
  lab: {
    seed: 500,
    instances: 2,
    faults: {
      throttleRate: 0.1,
      serverErrorRate: 0.05,
      consistencyWindowMs: 2000,
      dependencyViolationMs: 3000,
    },
  },
  async run(lab) {
    const interrupted = await lab.interruptAfter(['deploy'], 'CreateLoadBalancer');
    lab.check(interrupted.interruptedAt !== undefined, 'the deploy never called CreateLoadBalancer');
    lab.expectExit(interrupted, 130, 'interrupted deploy');
    await lab.expectDeployed(await lab.run(['deploy']), 'deploy after the interrupt');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

/** Requests through the load balancer every 50 ms until the returned stop() is called; it gives their statuses. */
function startProbe(dataPlane: string): () => Promise<number[]> {
  const answers: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      answers.push((await fetch(dataPlane).catch(() => ({ status: 0 }))).status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    probing = false;
    await probe;
    return answers;
  };
}

/** Note every request of a probe that did not answer 200. */
function expectNoFailedRequest(lab: Lab, answers: number[], during: string): void {
  const down = answers.filter((status) => status !== 200);
  lab.check(answers.length > 5, `${during}: the probe made only ${answers.length} requests`);
  lab.check(
    down.length === 0,
    `${during}: the site failed ${down.length} of ${answers.length} requests: ${[...new Set(down)].join(', ')}`,
  );
}

/** The simulator's data-plane address of the URL a deploy reported. */
function dataPlaneOf(lab: Lab, run: LabRun): string | undefined {
  const url = run.json?.result?.url as string | undefined;
  return url ? lab.sim.dataPlaneUrl(new URL(url).hostname) : undefined;
}

/** A changed template replaces the instances; Ctrl-C at `action`, then deploy again: one new set, serving it. */
function interruptedReplacement(action: string, seed: number): Scenario {
  return {
    name: `SIGINT mid-replacement (new template) after ${action}, then deploy and destroy`,
    lab: { seed },
    async run(lab) {
      const first = await lab.run(['deploy']);
      await lab.expectDeployed(first);
      const dataPlane = dataPlaneOf(lab, first);
      if (!dataPlane) return;
      // The site keeps answering through the interrupted replacement and its resumption.
      const stopProbe = startProbe(dataPlane);
      lab.configure('template: { id: "2135", name: mini_finance }\n');
      // One replacement instance may exist besides the first; no more.
      lab.allowed.instances += lab.instances;
      const interrupted = await lab.interruptAfter(['deploy'], action);
      lab.check(interrupted.interruptedAt !== undefined, `the replacing deploy never called ${action}`);
      lab.expectExit(interrupted, 130, 'interrupted replacement');
      const resumed = await lab.run(['deploy']);
      expectNoFailedRequest(lab, await stopProbe(), 'the interrupted replacement and its resumption');
      await lab.expectDeployed(resumed, 'deploy after the interrupt');
      const url = resumed.json?.result?.url as string | undefined;
      const page = url ? await fetch(lab.sim.dataPlaneUrl(new URL(url).hostname)!).then((r) => r.text()) : '';
      lab.check(page.includes('mini_finance'), 'the site does not serve the new template');
      lab.expectDestroyed(await lab.run(['destroy']));
    },
  };
}

const dependencyViolation: Scenario = {
  name: 'DependencyViolation on security-group delete for 8 s',
  lab: { seed: 40, faults: { dependencyViolationMs: 8000 } },
  async run(lab) {
    await deployThenDestroy(lab);
    const refusals = lab.sim.calls.filter(
      (c) => c.action === 'DeleteSecurityGroup' && c.error === 'DependencyViolation',
    ).length;
    lab.check(refusals >= 3, `only ${refusals} DeleteSecurityGroup calls met DependencyViolation`);
  },
};

const CONSISTENCY = { consistencyWindowMs: 2000 };

/** The site on an Auto Scaling group of 2 to 4 instances (instance.scaling). */
const SCALING = { min: 2, max: 4 };

/** The AWS CLI v2 against the lab's simulator, as a user would look (and act) behind site's back. */
async function groupLook(lab: Lab) {
  const aws = await awsCli(lab.sim.endpoint);
  const group = async (): Promise<any> =>
    (
      await aws(
        'autoscaling',
        'describe-auto-scaling-groups',
        '--auto-scaling-group-names',
        `${lab.site}-asg`,
      )
    ).AutoScalingGroups[0];
  /** The group's instances in service and healthy. */
  const serving = async (): Promise<string[]> =>
    ((await group())?.Instances ?? [])
      .filter((i: any) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy')
      .map((i: any) => i.InstanceId as string);
  /** Poll (with a deadline, never a fixed sleep) until `check` holds; a problem when it never does. */
  const eventually = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        lab.problem(`timed out waiting for ${what}`);
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  return { aws, group, serving, eventually };
}

/**
 * At min 2, an instance of the group is terminated with the AWS CLI: the other one keeps the site answering and
 * the group replaces it with no `site` run; a deploy afterwards finds nothing to do.
 */
const terminatedBehindSitesBack: Scenario = {
  name: "scaling: an instance terminated behind site's back at min 2 (site keeps answering, group heals), then deploy and destroy",
  lab: { seed: 700, scaling: SCALING },
  async run(lab) {
    const first = await lab.run(['deploy']);
    await lab.expectDeployed(first);
    const dataPlane = dataPlaneOf(lab, first);
    if (!dataPlane) return;
    const { aws, serving, eventually } = await groupLook(lab);
    const before = await serving();
    if (!lab.check(before.length === 2, `${before.length} instances in service after deploy, expected 2`))
      return;
    const victim = before[0]!;
    lab.allowed.instances += 1;
    const stopProbe = startProbe(dataPlane);
    await aws('ec2', 'terminate-instances', '--instance-ids', victim);
    await eventually('the group to replace the terminated instance', async () => {
      const now = await serving();
      return now.length === 2 && !now.includes(victim) ? now : undefined;
    });
    expectNoFailedRequest(lab, await stopProbe(), 'the termination and the healing');
    lab.check(lab.runs.length === 1, 'site ran while the group healed');
    const again = await lab.run(['deploy']);
    await lab.expectDeployed(again, 'deploy after the healing');
    lab.check(again.json?.result?.changed === false, 'a deploy after the healing still found changes');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

/**
 * A template change starts an instance refresh; Ctrl-C right after StartInstanceRefresh leaves it running on
 * AWS's side. The re-run meets it in progress and waits for it: one refresh in all, no failed request.
 */
const interruptedRefresh: Scenario = {
  name: 'scaling: SIGINT after StartInstanceRefresh (new template), then deploy picks the refresh up (no second) and destroy',
  // An AWS second of 50 ms: the refresh's warm-up (300 s) lasts 15 s, longer than a re-run takes to look even
  // on a busy machine.
  lab: { seed: 701, scaling: SCALING, slower: { secondMs: 50 } },
  async run(lab) {
    const first = await lab.run(['deploy']);
    await lab.expectDeployed(first);
    const dataPlane = dataPlaneOf(lab, first);
    if (!dataPlane) return;
    const stopProbe = startProbe(dataPlane);
    lab.configure('template: { id: "2135", name: mini_finance }\n');
    // The refresh launches a new instance for each (launch before terminate).
    lab.allowed.instances += lab.instances;
    const interrupted = await lab.interruptAfter(['deploy'], 'StartInstanceRefresh');
    if (!lab.check(interrupted.interruptedAt !== undefined, 'the deploy never called StartInstanceRefresh'))
      return;
    lab.expectExit(interrupted, 130, 'deploy interrupted during the refresh');
    let met: boolean | undefined;
    const off = lab.sim.onCall((call) => {
      if (met !== undefined || call.action !== 'DescribeInstanceRefreshes' || call.error) return;
      const state = lab.sim.snapshot() as SimState;
      met = (state.autoScaling?.refreshes ?? []).some(
        (r) => r.status === 'InProgress' || r.status === 'Pending',
      );
    });
    const resumed = await lab.run(['deploy']).finally(off);
    lab.check(
      met === true,
      'the deploy after the interrupt did not meet the refresh in progress: tested nothing',
    );
    expectNoFailedRequest(lab, await stopProbe(), 'the interrupted refresh and its resumption');
    await lab.expectDeployed(resumed, 'deploy after the interrupt');
    const starts = lab.sim.calls.filter((c) => c.action === 'StartInstanceRefresh' && !c.error).length;
    lab.check(starts === 1, `${starts} instance refreshes were started, expected 1`);
    const page = await fetch(dataPlane).then((r) => r.text());
    lab.check(page.includes('mini_finance'), 'the site does not serve the new template');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

/** Ctrl-C in `site scale 4` right after SetDesiredCapacity: AWS carries it through; a re-run waits and agrees. */
const interruptedScale: Scenario = {
  name: 'scaling: SIGINT in site scale 4 after SetDesiredCapacity, then scale again, deploy and destroy',
  lab: { seed: 702, scaling: SCALING },
  async run(lab) {
    await lab.expectDeployed(await lab.run(['deploy']));
    lab.allowed.instances = 4;
    const interrupted = await lab.interruptAfter(['scale', '4'], 'SetDesiredCapacity');
    if (!lab.check(interrupted.interruptedAt !== undefined, 'site scale never called SetDesiredCapacity'))
      return;
    lab.expectExit(interrupted, 130, 'interrupted scale');
    const again = await lab.run(['scale', '4']);
    if (lab.expectExit(again, 0, 'scale after the interrupt')) {
      const after = again.json?.result?.after;
      lab.check(
        after?.min === 2 && after?.desired === 4 && after?.max === 4,
        `scale after the interrupt reports ${JSON.stringify(after)}, expected 2/4/4`,
      );
      const { serving } = await groupLook(lab);
      const now = await serving();
      lab.check(now.length === 4, `${now.length} instances in service when scale returned, expected 4`);
    }
    lab.instances = 4;
    await lab.expectDeployed(await lab.run(['deploy']), 'deploy after the scale');
    lab.expectDestroyed(await lab.run(['destroy']));
  },
};

/** Throttling on a fifth of all calls, the Auto Scaling API's included: deploy, scale and destroy converge. */
const throttledScaling: Scenario = {
  name: 'scaling: throttling on 20% of calls (Auto Scaling API included), deploy, scale 3 and destroy',
  lab: { seed: 703, scaling: SCALING, faults: { throttleRate: 0.2 } },
  async run(lab) {
    await lab.expectDeployed(await lab.run(['deploy']));
    lab.allowed.instances = 3;
    const scaled = await lab.run(['scale', '3']);
    if (lab.expectExit(scaled, 0, 'scale 3'))
      lab.check(
        scaled.json?.result?.after?.desired === 3,
        `scale 3 reports ${JSON.stringify(scaled.json?.result?.after)}`,
      );
    lab.expectDestroyed(await lab.run(['destroy']));
    const throttled = lab.sim.calls.filter((c) => c.service === 'autoscaling' && c.error === 'Throttling');
    lab.check(throttled.length >= 1, `only ${throttled.length} Auto Scaling calls met Throttling`);
  },
};
/** A `source.dir` site's page, written on every machine (issue 13). */
function writePage(lab: Lab, heading: string): void {
  for (const machine of lab.machines) {
    mkdirSync(path.join(machine.dir, 'public'), { recursive: true });
    writeFileSync(path.join(machine.dir, 'public', 'index.html'), `<h1>${heading}</h1>\n`);
  }
}

/** The page the site's load balancer serves now (through the simulator's data plane). */
async function servedPage(lab: Lab, run: { json?: any }): Promise<string | undefined> {
  const url: string | undefined = run.json?.result?.url;
  const dataPlane = url && lab.sim.dataPlaneUrl(new URL(url).hostname);
  if (!dataPlane) return undefined;
  return (await fetch(dataPlane).then((answer) => answer.text())).trim();
}

/** After destroy: no bucket, role or instance profile left in the simulator (KINDS counts none of them). */
function expectStorageGone(lab: Lab): void {
  const state = lab.sim.snapshot() as SimState;
  const left = [
    ...(state.buckets ?? []).map((b) => `bucket ${b.name}`),
    ...(state.iam?.roles ?? []).map((r) => `role ${r.name}`),
    ...(state.iam?.instanceProfiles ?? []).map((p) => `instance profile ${p.name}`),
  ];
  lab.check(left.length === 0, `destroy left behind ${left.join(', ')}`);
}

/**
 * Ctrl-C in a `source.dir` deploy right after the simulator handled the `occurrence`-th PutObject of that
 * deploy (1: the release upload; 3: the pointer, so the instances are switching). The re-run converges on the
 * folder's version — every target serving it, nothing half-switched — and destroy leaves no bucket, role or
 * profile.
 */
function interruptedContent(what: string, seed: number, occurrence: number, update: boolean): Scenario {
  return {
    name: `SIGINT during ${what} of a source.dir site, then deploy and destroy`,
    lab: { seed },
    async run(lab) {
      lab.configure('source: { dir: ./public }\n');
      writePage(lab, 'first version');
      if (update) {
        const first = await lab.run(['deploy']);
        await lab.expectDeployed(first, 'first deploy');
        writePage(lab, 'second version');
      }
      const interrupted = await lab.interruptAfter(['deploy'], 'PutObject', occurrence);
      if (
        !lab.check(interrupted.interruptedAt !== undefined, `the deploy never made PutObject #${occurrence}`)
      )
        return;
      lab.expectExit(interrupted, 130, 'interrupted deploy');
      const again = await lab.run(['deploy']);
      await lab.expectDeployed(again, 'deploy after the interrupt');
      const expected = update ? 'second version' : 'first version';
      const page = await servedPage(lab, again);
      lab.check(
        page === `<h1>${expected}</h1>`,
        `after the re-run the site serves ${page}, expected the ${expected}`,
      );
      const live = again.json?.result?.resources?.['storage.content-live'];
      if (live?.targetsServing !== undefined)
        lab.check(
          /^(\d+)\/\1$/.test(live.targetsServing),
          `targets serving the version: ${live.targetsServing}`,
        );
      lab.expectDestroyed(await lab.run(['destroy']));
      expectStorageGone(lab);
    },
  };
}

export const scenarios: Scenario[] = [
  interruptedContent('the upload', 131, 1, false),
  interruptedContent('the in-place switch', 132, 3, true),
  faulty('throttling on 20% of calls (2 instances)', 10, { throttleRate: 0.2 }, 2),
  faulty('5xx on 10% of calls', 20, { serverErrorRate: 0.1 }),
  faulty('2 s eventual-consistency window after every create', 30, { consistencyWindowMs: 2000 }),
  dependencyViolation,
  faulty(
    '5xx after the change on 20% of changing calls (lost answers, 2 instances)',
    1,
    { lostResponseRate: 0.2 },
    2,
  ),
  interruptedPlan,
  interruptedDeploy('ImportKeyPair'),
  interruptedDeploy('CreateSecurityGroup', 1),
  interruptedDeploy('CreateSecurityGroup', 2),
  interruptedDeploy('AuthorizeSecurityGroupIngress'),
  interruptedDeploy('RunInstances'),
  {
    ...interruptedDeploy('RunInstances', 2),
    name: 'SIGINT after RunInstances (#2 of 3 instances), then deploy and destroy',
    lab: { seed: 101, instances: 3 },
  },
  interruptedDeploy('CreateTargetGroup'),
  interruptedDeploy('ModifyTargetGroupAttributes'),
  interruptedDeploy('CreateLoadBalancer'),
  interruptedDeploy('RegisterTargets'),
  interruptedDeploy('CreateListener'),
  interruptedReplacement('RunInstances', 600),
  interruptedReplacement('DeregisterTargets', 601),
  interruptedReplacement('TerminateInstances', 602),
  interruptedDestroy('TerminateInstances', 200),
  interruptedDestroy('DeleteLoadBalancer', 201),
  sameMachine,
  twoMachines('two deploys at the same moment from two machines', 400),
  // Eventual consistency is where resumed and concurrent creates meet resources they cannot see yet.
  interruptedDeploy('ImportKeyPair', 1, {
    seed: 110,
    faults: CONSISTENCY,
    also: 'with a 2 s consistency window',
  }),
  interruptedDeploy('CreateSecurityGroup', 1, {
    seed: 111,
    faults: CONSISTENCY,
    also: 'with a 2 s consistency window',
  }),
  interruptedDeploy('RunInstances', 1, {
    seed: 112,
    faults: CONSISTENCY,
    also: 'with a 2 s consistency window',
  }),
  // AWS-like timing: the re-run meets what the interrupted run left in transit.
  resumedInTransit('RunInstances', INSTANCE_PENDING, 120),
  resumedInTransit('CreateLoadBalancer', LOAD_BALANCER_PROVISIONING, 121),
  resumedDestroyInTransit,
  twoMachines(
    'two deploys at the same moment from two machines with a 2 s consistency window',
    410,
    CONSISTENCY,
  ),
  everything,
  terminatedBehindSitesBack,
  interruptedRefresh,
  interruptedScale,
  throttledScaling,
];

/** The scenarios `npm test` runs: a fault, an interrupt, a race. */
export const shortScenarios = [
  '5xx on 10% of calls',
  'SIGINT after RunInstances, then deploy and destroy',
  'two deploys at the same moment on one machine',
].map((name) => scenarios.find((s) => s.name === name)!);

const INJECTED =
  /^(RequestLimitExceeded|Throttling|InternalError|Unavailable|InternalFailure|ServiceUnavailable|DependencyViolation)$/;

export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  const lab = await Lab.start(scenario.lab);
  try {
    await scenario.run(lab);
  } catch (error) {
    lab.problem(`crashed: ${(error as Error).stack ?? String(error)}`);
  }
  const orphans = lab.orphans();
  const duplicates = lab.duplicates();
  for (const kind of KINDS)
    if (lab.everExisted[kind].size > lab.allowed[kind])
      lab.problem(`${lab.everExisted[kind].size} ${kind} were created, expected ${lab.allowed[kind]}`);
  if (lab.untagged.size > 0) lab.problem(`created without the site's tags: ${[...lab.untagged].join(', ')}`);
  const result: ScenarioResult = {
    name: scenario.name,
    seed: scenario.lab.seed,
    converged: lab.problems.length === 0 && orphans.length === 0,
    duplicates,
    orphans: orphans.length,
    problems: lab.problems,
    ms: Date.now() - started,
    calls: lab.sim.calls.length,
    failedCalls: lab.sim.calls.filter((c) => c.error && INJECTED.test(c.error)).length,
  };
  await lab.stop();
  for (const machine of lab.machines) rmSync(machine.dir, { recursive: true, force: true });
  return result;
}

/** Run scenarios `concurrency` at a time (each has its own simulator); results in the given order. */
export async function runScenarios(
  list: Scenario[],
  concurrency: number,
  onResult: (result: ScenarioResult) => void = () => {},
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const index = next++;
      results[index] = await runScenario(list[index]!);
      onResult(results[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, list.length)) }, worker));
  return results;
}

/** The one line the suite ends with. */
export function summaryLine(results: ScenarioResult[]): string {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return `faults: ${results.length} scenarios, ${sum((r) => (r.converged ? 1 : 0))} converged, ${sum(
    (r) => r.duplicates,
  )} duplicates, ${sum((r) => r.orphans)} orphans`;
}
