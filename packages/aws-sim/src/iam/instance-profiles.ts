import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import type { InstanceProfileRec } from '../state.js';
import { checkInput, iamOf, mergeTags, profileOf, roleOf, sameName, uniqueId } from './common.js';
import { roleShape } from './roles.js';

function profileShape(ctx: SimContext, p: InstanceProfileRec) {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: new Date(p.createdAt),
    Roles: p.roleNames.map((n) => roleShape(roleOf(ctx, n))),
    Tags: p.tags.length ? p.tags.map((t) => ({ ...t })) : undefined,
  };
}

export function createInstanceProfile(ctx: SimContext, input: any) {
  checkInput('CreateInstanceProfile', input);
  const { instanceProfiles } = iamOf(ctx);
  if (instanceProfiles.some((p) => sameName(p.name, input.InstanceProfileName)))
    throw new AwsError(
      'EntityAlreadyExists',
      `Instance Profile ${input.InstanceProfileName} already exists.`,
      409,
    );
  const path: string = input.Path ?? '/';
  const profile: InstanceProfileRec = {
    name: input.InstanceProfileName,
    id: uniqueId(ctx, 'AIPA'),
    path,
    arn: `arn:aws:iam::${ctx.state.accountId}:instance-profile${path}${input.InstanceProfileName}`,
    createdAt: ctx.now(),
    roleNames: [],
    tags: mergeTags([], input.Tags),
  };
  instanceProfiles.push(profile);
  return { InstanceProfile: profileShape(ctx, profile) };
}

export function getInstanceProfile(ctx: SimContext, input: any) {
  checkInput('GetInstanceProfile', input);
  return { InstanceProfile: profileShape(ctx, profileOf(ctx, input.InstanceProfileName)) };
}

export function deleteInstanceProfile(ctx: SimContext, input: any) {
  checkInput('DeleteInstanceProfile', input);
  const profile = profileOf(ctx, input.InstanceProfileName);
  if (profile.roleNames.length)
    throw new AwsError(
      'DeleteConflict',
      'Cannot delete entity, must remove roles from instance profile first.',
      409,
    );
  const { instanceProfiles } = iamOf(ctx);
  instanceProfiles.splice(instanceProfiles.indexOf(profile), 1);
  return {};
}

/** An instance profile holds one role (a quota AWS does not raise). */
export function addRoleToInstanceProfile(ctx: SimContext, input: any) {
  checkInput('AddRoleToInstanceProfile', input);
  const profile = profileOf(ctx, input.InstanceProfileName);
  const role = roleOf(ctx, input.RoleName);
  if (profile.roleNames.length)
    throw new AwsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
  profile.roleNames.push(role.name);
  return {};
}

export function removeRoleFromInstanceProfile(ctx: SimContext, input: any) {
  checkInput('RemoveRoleFromInstanceProfile', input);
  const profile = profileOf(ctx, input.InstanceProfileName);
  roleOf(ctx, input.RoleName);
  if (!profile.roleNames.includes(input.RoleName))
    throw new AwsError(
      'NoSuchEntity',
      `Role ${input.RoleName} in Instance Profile ${profile.name} cannot be found.`,
      404,
    );
  profile.roleNames = profile.roleNames.filter((n) => n !== input.RoleName);
  return {};
}

export function listInstanceProfilesForRole(ctx: SimContext, input: any) {
  checkInput('ListInstanceProfilesForRole', input);
  const role = roleOf(ctx, input.RoleName);
  return {
    InstanceProfiles: iamOf(ctx)
      .instanceProfiles.filter((p) => p.roleNames.includes(role.name))
      .map((p) => profileShape(ctx, p)),
    IsTruncated: false,
  };
}

export function tagInstanceProfile(ctx: SimContext, input: any) {
  checkInput('TagInstanceProfile', input);
  const profile = profileOf(ctx, input.InstanceProfileName);
  profile.tags = mergeTags(profile.tags, input.Tags);
  return {};
}

export function listInstanceProfileTags(ctx: SimContext, input: any) {
  checkInput('ListInstanceProfileTags', input);
  return { Tags: profileOf(ctx, input.InstanceProfileName).tags.map((t) => ({ ...t })), IsTruncated: false };
}
