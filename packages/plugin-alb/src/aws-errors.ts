/**
 * The AWS error code of an SDK error. The ELBv2 client names its errors after the model's exception
 * shapes ('TargetGroupNotFoundException' for the wire code 'TargetGroupNotFound'): both spellings match.
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const named = error as { name?: unknown; Code?: unknown };
    const code =
      typeof named.Code === 'string' ? named.Code : typeof named.name === 'string' ? named.name : undefined;
    return code?.replace(/Exception$/, '');
  }
  return undefined;
}

export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}
