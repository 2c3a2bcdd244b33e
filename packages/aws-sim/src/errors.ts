export class AwsError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

export function err(code: string, message: string): AwsError {
  return new AwsError(code, message);
}
