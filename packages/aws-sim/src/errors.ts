export class AwsError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
    /** Elements an error document names besides code and message (S3's `BucketName`, `Key`). */
    public readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

export function err(code: string, message: string): AwsError {
  return new AwsError(code, message);
}
