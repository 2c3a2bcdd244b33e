/** The AWS error code of an SDK error (the SDK sets `name` to it, e.g. 'InvalidInstanceID.NotFound'). */
export function awsErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const named = error as { name?: unknown; Code?: unknown };
    if (typeof named.Code === 'string') return named.Code;
    if (typeof named.name === 'string') return named.name;
  }
  return undefined;
}

export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}
