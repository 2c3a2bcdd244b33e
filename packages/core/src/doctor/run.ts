import { planDeploy } from '../graph/planner.js';
import type { DoctorCheck, DoctorContext } from '../graph/resource.js';
import type { CoreSession } from '../session/core-session.js';
import { clockCheck, driftCheck, identityCheck, regionCheck } from './checks.js';

export interface DoctorReport {
  /** True when a check failed (the command exits 1). */
  failed: boolean;
  checks: (DoctorCheck & { source: string })[];
}

export interface DoctorOptions {
  /** A site command with this run's flags, for fixes: commandLine('deploy'). */
  commandLine(command: string): string;
  /** The local clock (tests pass their own). */
  now?: () => number;
}

type DeserializeStack = {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ response: unknown }>,
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string },
    ): void;
  };
};

/** The Date header of the next answer `client` receives. */
function watchDate(client: unknown): () => string | undefined {
  let date: string | undefined;
  (client as DeserializeStack).middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const headers = (out.response as { headers?: Record<string, string> }).headers;
      date ??= headers?.date ?? headers?.Date;
      return out;
    },
    { step: 'deserialize', name: `siteDoctorDate${Math.random()}` },
  );
  return () => date;
}

/**
 * `site doctor`: the core's checks (credentials, region, clock, drift), then every resource's own (Resource.doctor).
 * Reads only. A check that cannot run is reported, never thrown: the user gets every finding at once.
 */
export async function runDoctor(session: CoreSession, options: DoctorOptions): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  const checks: DoctorReport['checks'] = [];
  const core = (check: DoctorCheck) => checks.push({ ...check, source: 'core' });
  const deploy = options.commandLine('deploy');

  // Credentials: GetCallerIdentity needs no IAM permission, so only the credentials themselves can fail it.
  const sts = await session.aws.sts();
  const stsDate = watchDate(sts);
  let identity: { arn?: string; account?: string } | undefined;
  try {
    const answer = await sts.getCallerIdentity({});
    identity = { arn: answer.Arn, account: answer.Account };
    core(identityCheck(identity, undefined, session.config.profile));
  } catch (error) {
    core(identityCheck(undefined, error, session.config.profile));
  }
  const localAtAnswer = now();
  if (!identity) {
    if (stsDate()) core(clockCheck(localAtAnswer, stsDate()));
    return finish(checks);
  }
  core(clockCheck(localAtAnswer, stsDate()));

  // The region: EC2 answers there for this account (an opt-in region that is not enabled does not).
  const region = session.config.region;
  // The region: EC2 answers there for this account (an opt-in region that is not enabled does not), and offers
  // the configured instance type. DescribeInstanceTypeOfferings is in the site's IAM policy already (placement).
  const type = session.config.instance.type;
  try {
    const ec2 = await session.aws.ec2();
    const zones = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await ec2.describeInstanceTypeOfferings({
        LocationType: 'availability-zone',
        Filters: [{ Name: 'instance-type', Values: [type] }],
        NextToken,
      });
      for (const offering of page.InstanceTypeOfferings ?? [])
        if (offering.Location) zones.add(offering.Location);
      NextToken = page.NextToken;
    } while (NextToken);
    core(regionCheck(region, type, [...zones].sort()));
  } catch (error) {
    core({
      name: 'region',
      status: 'fail',
      message: `${region} did not answer: ${(error as Error).message}`,
      fix: `Check the region's name, or enable it for the account (AWS console → Account → AWS Regions); choose another with --region or \`region:\` in the config.`,
    });
    return finish(checks);
  }

  // Drift and the resources' own checks share one discovery.
  let plan;
  try {
    plan = await planDeploy(session.discovery());
  } catch (error) {
    core({
      name: 'drift',
      status: 'fail',
      message: `Looking at the site failed: ${(error as Error).message}`,
      fix: `Run \`${options.commandLine('plan')}\` for the details.`,
    });
    return finish(checks);
  }
  core(driftCheck(plan.steps, deploy));

  const base = session.contextFor(new Map(plan.found));
  const ctx: DoctorContext = Object.assign(Object.create(base) as DoctorContext, {
    commandLine: options.commandLine,
  });
  const contributed = await Promise.all(
    session.registry.order
      .map((id) => session.registry.get(id))
      .filter((resource) => resource.doctor)
      .map(async (resource) => {
        try {
          const found = plan.found.get(resource.id);
          return (await resource.doctor!(ctx, found)).map((check) => ({ ...check, source: resource.id }));
        } catch (error) {
          return [
            {
              name: resource.title.toLowerCase(),
              status: 'fail' as const,
              message: `Its check failed: ${(error as Error).message}`,
              fix: `Report this to the plugin ${resource.plugin.name}.`,
              source: resource.id,
            },
          ];
        }
      }),
  );
  checks.push(...contributed.flat());
  return finish(checks);
}

function finish(checks: DoctorReport['checks']): DoctorReport {
  return { failed: checks.some((c) => c.status === 'fail'), checks };
}
