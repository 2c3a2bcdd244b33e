import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { iamModel } from '../protocol/models/iam.js';
import type { InstanceProfileRec, RoleRec } from '../state.js';

export const iamError = (code: string, message: string) => new AwsError(code, message);

export function iamOf(ctx: SimContext) {
  return (ctx.state.iam ??= { roles: [], instanceProfiles: [] });
}

/**
 * Checks a value against its shape's constraints in the IAM model (length, pattern, range), as IAM's
 * ValidationError words it; `member` is the wire name ('roleName').
 */
export function check(shapeName: string, value: unknown, member: string): void {
  if (value === undefined) return;
  const shape = iamModel.shapes[shapeName];
  if (!shape) return;
  const fail = (constraint: string) => {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
    );
  };
  if (typeof value === 'string') {
    if (shape.min !== undefined && value.length < shape.min)
      fail(`Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value.length > shape.max)
      fail(`Member must have length less than or equal to ${shape.max}`);
    if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'u').test(value))
      fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  } else if (Array.isArray(value)) {
    if (shape.max !== undefined && value.length > shape.max)
      fail(`Member must have length less than or equal to ${shape.max}`);
  } else if (typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min)
      fail(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max)
      fail(`Member must have value less than or equal to ${shape.max}`);
  }
}

/** Checks each of an input's members against its shape in the model (the operation's input structure). */
export function checkInput(action: string, input: Record<string, unknown>): void {
  const op = iamModel.operations[action];
  const shape = op?.input ? iamModel.shapes[op.input] : undefined;
  for (const name of shape?.required ?? [])
    if (input[name] === undefined)
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
      );
  for (const [name, ref] of Object.entries(shape?.members ?? {}))
    check(ref.shape, input[name], `${name.charAt(0).toLowerCase()}${name.slice(1)}`);
}

/** IAM names are unique regardless of case (the IAM User Guide, "IAM identifiers"). */
export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function roleOf(ctx: SimContext, name: string | undefined): RoleRec {
  const role = iamOf(ctx).roles.find((r) => r.name === name);
  if (!role) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return role;
}

export function profileOf(ctx: SimContext, name: string | undefined): InstanceProfileRec {
  const profile = iamOf(ctx).instanceProfiles.find((p) => p.name === name);
  if (!profile) throw new AwsError('NoSuchEntity', `Instance Profile ${name} cannot be found.`, 404);
  return profile;
}

/** IAM's unique ids: a type prefix (AROA role, AIPA instance profile) and 17 upper-case letters and digits. */
export function uniqueId(ctx: SimContext, prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  while (id.length < prefix.length + 17) id += alphabet[Math.floor(ctx.ids.rng.next() * alphabet.length)];
  return id;
}

/**
 * A JSON policy document, or MalformedPolicyDocument: a trust policy's statements name a principal; an
 * identity policy's (a role's inline policy) name none and say which resources (the IAM JSON policy reference).
 */
export function policyDocument(
  text: string | undefined,
  kind: 'trust' | 'identity',
): { Statement?: unknown } {
  let doc: unknown;
  try {
    doc = JSON.parse(text ?? '');
  } catch {
    throw iamError('MalformedPolicyDocument', 'This policy contains invalid Json');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw iamError('MalformedPolicyDocument', 'This policy contains invalid Json');
  const statements = [(doc as { Statement?: unknown }).Statement ?? []].flat();
  if (!statements.length) throw iamError('MalformedPolicyDocument', 'Syntax errors in policy.');
  for (const st of statements as Record<string, unknown>[]) {
    if (!st || typeof st !== 'object' || (st.Effect !== 'Allow' && st.Effect !== 'Deny'))
      throw iamError('MalformedPolicyDocument', 'Syntax errors in policy.');
    if (st.Action === undefined && st.NotAction === undefined)
      throw iamError('MalformedPolicyDocument', 'Policy statement must contain actions.');
    const principal = st.Principal !== undefined || st.NotPrincipal !== undefined;
    if (kind === 'trust' && !principal)
      throw iamError('MalformedPolicyDocument', 'AssumeRolepolicy contained an invalid principal element.');
    if (kind === 'identity' && principal)
      throw iamError('MalformedPolicyDocument', 'Policy document should not specify a principal.');
    if (kind === 'identity' && st.Resource === undefined && st.NotResource === undefined)
      throw iamError('MalformedPolicyDocument', 'Policy statement must contain resources.');
  }
  return doc as { Statement?: unknown };
}

/** Tags as IAM takes them: 50 at most on a resource, no `aws:` keys, a key once. */
export function mergeTags(
  current: { Key: string; Value: string }[],
  added: { Key?: string; Value?: string }[] | undefined,
): { Key: string; Value: string }[] {
  const out = current.map((t) => ({ ...t }));
  for (const { Key, Value } of added ?? []) {
    if (Key === undefined || Value === undefined) continue;
    if (Key.toLowerCase().startsWith('aws:'))
      throw iamError('InvalidInput', 'User is not authorized to perform aws: prefixed tag keys.');
    const same = out.find((t) => t.Key === Key);
    if (same) same.Value = Value;
    else out.push({ Key, Value });
  }
  if (out.length > 50)
    throw new AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
  return out;
}
