/** The AWS error code of an SDK error ('InvalidKeyPair.NotFound'), or undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') {
    if (error.name === 'SiteError') return undefined;
    return error.name;
  }
  return undefined;
}

/** True when `error` is the AWS error with one of these codes. */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}
