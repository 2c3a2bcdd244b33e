export class AwsError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

const ec2Status: Record<string, number> = {
  DryRunOperation: 412,
  UnauthorizedOperation: 403,
  AuthFailure: 401,
  RequestLimitExceeded: 503,
  InternalError: 500,
  Unavailable: 503,
};
const elbStatus: Record<string, number> = {
  AccessDenied: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

export function statusFor(service: 'ec2' | 'elbv2', code: string): number {
  return (service === 'ec2' ? ec2Status : elbStatus)[code] ?? 400;
}

export function err(code: string, message: string): AwsError {
  return new AwsError(code, message);
}
