import { AwsError } from '../errors.js';
import type { ServiceProtocol } from '../protocol/protocol.js';
import type { FaultOptions } from './options.js';

/** Credentials AWS refuses before looking at the request (faults.rejectCredentials), by access key id. */
export function rejectCredentials(
  protocol: ServiceProtocol,
  rejected: FaultOptions['rejectCredentials'],
  accessKeyId: string | undefined,
): void {
  const how = accessKeyId === undefined ? undefined : rejected?.[accessKeyId];
  if (how === 'expired') throw protocol.errors.expiredCredentials();
  if (how === 'invalid') throw protocol.errors.invalidCredentials();
}

/**
 * The IAM denial of this call (faults.deny), if any: of the action itself, or of the tagging action AWS
 * authorizes too when the call tags what it creates. Keys: `name:Action`, `signingName:Action` or `Action`.
 */
export function denial(
  protocol: ServiceProtocol,
  deny: FaultOptions['deny'],
  action: string,
  input: Record<string, unknown>,
  accountId: string,
): AwsError | undefined {
  if (!deny) return undefined;
  const { name, signingName, errors, statusFor } = protocol;
  const lookUp = (act: string) =>
    deny[`${name}:${act}`] ?? (signingName !== name ? deny[`${signingName}:${act}`] : undefined) ?? deny[act];
  const own = lookUp(action);
  const tagAction = own ? undefined : protocol.taggingActionOf?.(action, input);
  const code = own ?? (tagAction ? lookUp(tagAction) : undefined);
  if (!code) return undefined;
  // A denial code the service does not list answers 403 when it reads as one (AccessDenied, Unauthorized…).
  const listed = statusFor(code);
  const status = listed === 400 && /Unauthorized|AccessDenied/.test(code) ? 403 : listed;
  return new AwsError(code, errors.deniedMessage(accountId, own ? action : tagAction!), status);
}
