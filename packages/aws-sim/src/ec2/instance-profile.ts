import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import type { InstanceProfileRec } from '../state.js';

/**
 * The IAM instance profile RunInstances names (`IamInstanceProfile.Arn` or `.Name`), as EC2 sees it: one
 * that does not exist, or was created too recently for IAM to have told EC2 (the profile's
 * `iamPropagationMs`), is refused with AWS's InvalidParameterValue.
 */
export function instanceProfileOf(
  ctx: SimContext,
  spec: { Arn?: string; Name?: string } | undefined,
): InstanceProfileRec | undefined {
  if (!spec || (spec.Arn === undefined && spec.Name === undefined)) return undefined;
  const byArn = spec.Arn !== undefined;
  const profile = ctx.state.iam?.instanceProfiles.find((p) =>
    byArn ? p.arn === spec.Arn : p.name === spec.Name,
  );
  const known = profile && ctx.now() - profile.createdAt >= (ctx.profile.iamPropagationMs ?? 0);
  // Both given: they must name the same profile.
  if (known && byArn && spec.Name !== undefined && spec.Name !== profile.name)
    throw err(
      'InvalidParameterCombination',
      'The parameters iamInstanceProfile.name and iamInstanceProfile.arn name different instance profiles.',
    );
  if (known) return profile;
  throw byArn
    ? err(
        'InvalidParameterValue',
        `Value (${spec.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
      )
    : err(
        'InvalidParameterValue',
        `Value (${spec.Name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
      );
}
