import type { DoctorCheck } from '../graph/resource.js';
import type { PlanStep } from '../graph/planner.js';

/** SigV4 refuses a request whose time is more than 5 minutes from AWS's. */
export const SIGV4_SKEW_LIMIT_S = 300;
/** Past this, warn: a drifting clock reaches the limit soon. */
export const CLOCK_WARN_S = 120;

/** The local clock against the Date header of an AWS answer. */
export function clockCheck(localMs: number, awsDate: string | undefined): DoctorCheck {
  const awsMs = awsDate ? Date.parse(awsDate) : Number.NaN;
  if (Number.isNaN(awsMs))
    return {
      name: 'clock',
      status: 'warn',
      message: 'AWS answered without a Date header: the local clock could not be compared.',
      fix: 'Keep the clock synchronised (NTP: `timedatectl set-ntp true`, or your OS settings).',
    };
  const skew = Math.round((localMs - awsMs) / 1000);
  const how = `${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} AWS`;
  // The Date header has whole seconds and the answer took a moment: a second or two is noise.
  if (Math.abs(skew) <= CLOCK_WARN_S)
    return {
      name: 'clock',
      status: 'pass',
      message: `The local clock is within ${CLOCK_WARN_S} s of AWS's (${how}).`,
    };
  const fix = 'Synchronise the clock (NTP: `sudo timedatectl set-ntp true`, or your OS date settings).';
  if (Math.abs(skew) > SIGV4_SKEW_LIMIT_S)
    return {
      name: 'clock',
      status: 'fail',
      message: `The local clock is ${how}: AWS refuses signed requests more than ${SIGV4_SKEW_LIMIT_S / 60} minutes off.`,
      fix,
    };
  return {
    name: 'clock',
    status: 'warn',
    message: `The local clock is ${how}; AWS refuses signed requests past ${SIGV4_SKEW_LIMIT_S / 60} minutes.`,
    fix,
  };
}

/** Resources changed outside site (or a configuration that changed): deploy's update and replace steps. */
export function driftCheck(
  steps: readonly Pick<PlanStep, 'resourceId' | 'title' | 'action' | 'reason' | 'changes'>[],
  deployCommand: string,
): DoctorCheck {
  const managed = steps.filter((s) => ['create', 'keep', 'update', 'replace'].includes(s.action));
  if (managed.length > 0 && managed.every((s) => s.action === 'create'))
    return {
      name: 'drift',
      status: 'warn',
      message: 'Nothing of this site exists yet.',
      fix: `Run \`${deployCommand}\` to create it.`,
    };
  const changing = steps.filter((s) => s.action === 'update' || s.action === 'replace');
  // A dependant that only follows another's update ("follows the update of …") differs in nothing itself.
  const own = changing.filter((s) => s.changes.length > 0);
  const drifted = own.length > 0 ? own : changing;
  const missing = steps.filter((s) => s.action === 'create');
  if (drifted.length === 0 && missing.length === 0)
    return { name: 'drift', status: 'pass', message: 'Every resource is as the configuration asks.' };
  const lines = [
    ...drifted.map((s) => `${s.title} (${s.resourceId}) would be ${s.action}d: ${s.reason}`),
    ...missing.map((s) => `${s.title} (${s.resourceId}) is missing: ${s.reason}`),
  ];
  return {
    name: 'drift',
    status: 'warn',
    message: `Changed outside site, or the configuration changed: ${lines.join('; ')}.`,
    fix: `Run \`${deployCommand}\` to bring it back in line (see the plan first with \`${deployCommand.replace(' deploy', ' plan')}\`).`,
  };
}

/** Credentials: the identity AWS resolved them to, or why it could not. */
export function identityCheck(
  identity: { arn?: string; account?: string } | undefined,
  error: unknown,
  profile: string | undefined,
): DoctorCheck {
  if (identity)
    return {
      name: 'credentials',
      status: 'pass',
      message: `Signed in as ${identity.arn ?? 'an unnamed identity'} (account ${identity.account ?? 'unknown'}).`,
    };
  const e = error as { name?: string; message?: string };
  const login = profile
    ? `Run \`aws sso login --profile ${profile}\` (SSO) or \`aws configure --profile ${profile}\`, or check AWS_PROFILE.`
    : 'Run `aws configure` (or `aws sso login`), or set AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
  const why =
    e?.name === 'ExpiredToken' || e?.name === 'ExpiredTokenException'
      ? 'the credentials have expired'
      : e?.name === 'InvalidClientTokenId' || e?.name === 'SignatureDoesNotMatch'
        ? 'AWS does not accept the credentials (unknown key or wrong secret)'
        : `no identity: ${e?.message ?? String(error)}`;
  return { name: 'credentials', status: 'fail', message: `Credentials failed: ${why}.`, fix: login };
}

/** The region answers for this account; the instance type is offered in enough of its zones (the ALB needs two). */
export function regionCheck(region: string, instanceType: string, zones: readonly string[]): DoctorCheck {
  const fix = `Choose another instance type (\`instance.type\`) or region (--region, \`region:\` in the config).`;
  if (zones.length === 0)
    return {
      name: 'region',
      status: 'fail',
      message: `${region} answers, but offers ${instanceType} in no zone.`,
      fix,
    };
  const where = `${region} answers and offers ${instanceType} in ${zones.length} zone${zones.length === 1 ? '' : 's'} (${zones.join(', ')})`;
  if (zones.length === 1)
    return {
      name: 'region',
      status: 'warn',
      message: `${where}: the instances all go to that one zone, and a load balancer spans two.`,
      fix,
    };
  return { name: 'region', status: 'pass', message: `${where}.` };
}
