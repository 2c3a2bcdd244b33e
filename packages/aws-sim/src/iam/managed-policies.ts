import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { checkInput, page, roleOf } from './common.js';

/**
 * The AWS managed policies the simulator knows (customer managed policies are not simulated): the ones an
 * instance role of a small site plausibly attaches. Any other ARN is "does not exist", as for a typo on AWS.
 */
const AWS_MANAGED = new Set([
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
  'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
]);

/** A role may have 10 managed policies attached (IAM's default quota). */
const MAX_ATTACHED = 10;

export function attachRolePolicy(ctx: SimContext, input: any) {
  checkInput('AttachRolePolicy', input);
  const role = roleOf(ctx, input.RoleName);
  const arn: string = input.PolicyArn;
  if (!AWS_MANAGED.has(arn))
    throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
  const attached = (role.attached ??= []);
  if (attached.includes(arn)) return {};
  if (attached.length >= MAX_ATTACHED)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED}`, 409);
  attached.push(arn);
  return {};
}

export function detachRolePolicy(ctx: SimContext, input: any) {
  checkInput('DetachRolePolicy', input);
  const role = roleOf(ctx, input.RoleName);
  if (!role.attached?.includes(input.PolicyArn))
    throw new AwsError('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`, 404);
  role.attached = role.attached.filter((a) => a !== input.PolicyArn);
  return {};
}

export function listAttachedRolePolicies(ctx: SimContext, input: any) {
  checkInput('ListAttachedRolePolicies', input);
  const arns = roleOf(ctx, input.RoleName).attached ?? [];
  const { items, ...more } = page(arns, input, (a) => a);
  return {
    AttachedPolicies: items.map((arn) => ({
      PolicyArn: arn,
      PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
    })),
    ...more,
  };
}
