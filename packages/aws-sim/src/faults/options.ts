export interface FaultOptions {
  throttleRate?: number;
  serverErrorRate?: number;
  consistencyWindowMs?: number;
  dependencyViolationMs?: number;
  /**
   * Share of successful changing calls whose answer is lost: the change is made, the client gets a 500 and
   * retries — where duplicates come from, and what ClientToken and "already exists" handling are for.
   */
  lostResponseRate?: number;
  /**
   * Action (or `ec2:Action` / `elbv2:Action` / `elasticloadbalancing:Action`) → error code, e.g.
   * `{ 'ec2:RunInstances': 'UnauthorizedOperation' }`. Denying `ec2:CreateTags` (`elbv2:AddTags`) also
   * denies creates that tag at creation, as IAM does. A denied DryRun call answers the error, not DryRunOperation.
   * `autoscaling:Action` too (`autoscaling:CreateOrUpdateTags` denies a group created with tags), and
   * `iam:CreateServiceLinkedRole` denies the account's first CreateAutoScalingGroup (AWS makes the role then).
   */
  deny?: Record<string, string>;
  /**
   * Access key id → how AWS refuses requests signed with it: 'expired' (an expired session token:
   * EC2 RequestExpired, ELBv2 ExpiredToken) or 'invalid' (a key AWS does not know: EC2 AuthFailure,
   * ELBv2 InvalidClientTokenId).
   */
  rejectCredentials?: Record<string, 'expired' | 'invalid'>;
}

/** AWS eventual consistency (consistencyWindowMs): a resource created at `createdAt` is not yet seen at `now`. */
export function inConsistencyWindow(faults: FaultOptions, createdAt: number, now: number): boolean {
  const window = faults.consistencyWindowMs ?? 0;
  return window > 0 && now - createdAt < window;
}
