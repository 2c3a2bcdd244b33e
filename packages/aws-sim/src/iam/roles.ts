import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import type { RoleRec } from '../state.js';
import {
  checkInput,
  iamError,
  iamOf,
  mergeTags,
  policyDocument,
  roleOf,
  sameName,
  uniqueId,
} from './common.js';

/** A role as IAM answers it: policy documents URL-encoded (RFC 3986), as IAM sends them. */
export function roleShape(role: RoleRec) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: role.tags.length ? role.tags.map((t) => ({ ...t })) : undefined,
  };
}

function addRole(
  ctx: SimContext,
  input: {
    RoleName: string;
    Path?: string;
    AssumeRolePolicyDocument: string;
    Description?: string;
    MaxSessionDuration?: number;
    Tags?: { Key?: string; Value?: string }[];
  },
): RoleRec {
  const { roles } = iamOf(ctx);
  if (roles.some((r) => sameName(r.name, input.RoleName)))
    throw new AwsError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`, 409);
  const path = input.Path ?? '/';
  const role: RoleRec = {
    name: input.RoleName,
    id: uniqueId(ctx, 'AROA'),
    path,
    arn: `arn:aws:iam::${ctx.state.accountId}:role${path}${input.RoleName}`,
    assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    description: input.Description,
    maxSessionDuration: input.MaxSessionDuration ?? 3600,
    createdAt: ctx.now(),
    tags: mergeTags([], input.Tags),
    policies: {},
  };
  roles.push(role);
  return role;
}

export function createRole(ctx: SimContext, input: any) {
  checkInput('CreateRole', input);
  policyDocument(input.AssumeRolePolicyDocument, 'trust');
  return { Role: roleShape(addRole(ctx, input)) };
}

export function getRole(ctx: SimContext, input: any) {
  checkInput('GetRole', input);
  return { Role: roleShape(roleOf(ctx, input.RoleName)) };
}

const SERVICE_ROLE_PATH = '/aws-service-role/';

export function deleteRole(ctx: SimContext, input: any) {
  checkInput('DeleteRole', input);
  const role = roleOf(ctx, input.RoleName);
  if (role.path.startsWith(SERVICE_ROLE_PATH))
    throw iamError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`,
    );
  if (Object.keys(role.policies).length)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
  if (iamOf(ctx).instanceProfiles.some((p) => p.roleNames.includes(role.name)))
    throw new AwsError(
      'DeleteConflict',
      'Cannot delete entity, must remove roles from instance profile first.',
      409,
    );
  const { roles } = iamOf(ctx);
  roles.splice(roles.indexOf(role), 1);
  return {};
}

export function tagRole(ctx: SimContext, input: any) {
  checkInput('TagRole', input);
  const role = roleOf(ctx, input.RoleName);
  role.tags = mergeTags(role.tags, input.Tags);
  return {};
}

export function untagRole(ctx: SimContext, input: any) {
  checkInput('UntagRole', input);
  const role = roleOf(ctx, input.RoleName);
  const keys = new Set<string>(input.TagKeys ?? []);
  role.tags = role.tags.filter((t) => !keys.has(t.Key));
  return {};
}

export function listRoleTags(ctx: SimContext, input: any) {
  checkInput('ListRoleTags', input);
  return { Tags: roleOf(ctx, input.RoleName).tags.map((t) => ({ ...t })), IsTruncated: false };
}

// --- inline policies

/** IAM's quota: a role's inline policies together hold at most 10,240 characters (whitespace not counted). */
const INLINE_POLICY_CHARS = 10_240;

export function putRolePolicy(ctx: SimContext, input: any) {
  checkInput('PutRolePolicy', input);
  const role = roleOf(ctx, input.RoleName);
  policyDocument(input.PolicyDocument, 'identity');
  const next: Record<string, string> = { ...role.policies, [input.PolicyName]: String(input.PolicyDocument) };
  const size = Object.values(next).reduce((n, doc) => n + doc.replace(/\s/g, '').length, 0);
  if (size > INLINE_POLICY_CHARS)
    throw new AwsError(
      'LimitExceeded',
      `Maximum policy size of ${INLINE_POLICY_CHARS} bytes exceeded for role ${role.name}`,
      409,
    );
  role.policies = next;
  return {};
}

function inlinePolicy(role: RoleRec, name: string): string {
  const doc = role.policies[name];
  if (doc === undefined)
    throw new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
  return doc;
}

export function getRolePolicy(ctx: SimContext, input: any) {
  checkInput('GetRolePolicy', input);
  const role = roleOf(ctx, input.RoleName);
  return {
    RoleName: role.name,
    PolicyName: input.PolicyName,
    PolicyDocument: encodeURIComponent(inlinePolicy(role, input.PolicyName)),
  };
}

export function listRolePolicies(ctx: SimContext, input: any) {
  checkInput('ListRolePolicies', input);
  return { PolicyNames: Object.keys(roleOf(ctx, input.RoleName).policies).sort(), IsTruncated: false };
}

export function deleteRolePolicy(ctx: SimContext, input: any) {
  checkInput('DeleteRolePolicy', input);
  const role = roleOf(ctx, input.RoleName);
  inlinePolicy(role, input.PolicyName);
  delete role.policies[input.PolicyName];
  return {};
}

// --- service-linked roles

/** The services whose service-linked role the simulator knows: the role's name and description. */
const SERVICE_LINKED: Record<string, { name: string; description: string }> = {
  'autoscaling.amazonaws.com': {
    name: 'AWSServiceRoleForAutoScaling',
    description:
      'Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling',
  },
  'elasticloadbalancing.amazonaws.com': {
    name: 'AWSServiceRoleForElasticLoadBalancing',
    description: "Allows ELB to call AWS services on customer's behalf.",
  },
};

export function createServiceLinkedRole(ctx: SimContext, input: any) {
  checkInput('CreateServiceLinkedRole', input);
  const service: string = input.AWSServiceName;
  const known = SERVICE_LINKED[service];
  if (!known)
    throw iamError('InvalidInput', `Service name ${service} is not eligible for a service linked role`);
  const name = input.CustomSuffix ? `${known.name}_${input.CustomSuffix}` : known.name;
  if (iamOf(ctx).roles.some((r) => sameName(r.name, name)))
    throw iamError(
      'InvalidInput',
      `Service role name ${name} has been taken in this account, please try a different suffix.`,
    );
  const role = addRole(ctx, {
    RoleName: name,
    Path: `${SERVICE_ROLE_PATH}${service}/`,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }],
    }),
    Description: input.Description ?? known.description,
  });
  return { Role: roleShape(role) };
}
