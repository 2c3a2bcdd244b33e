import { ec2Service } from './ec2/service.js';
import { elbv2Service } from './elbv2/service.js';
import { iamService } from './iam/service.js';
import { s3Service } from './s3/service.js';
import { stsService } from './sts/service.js';
import type { ApiRequest } from './protocol/protocol.js';
import type { SimService } from './service.js';

/** The services the simulator answers; the first takes requests that no other claims. */
export const SERVICES: readonly SimService[] = [ec2Service, elbv2Service, stsService, s3Service, iamService];

/**
 * The service a request is for: the one surest it is its own (API version, then credential scope); failing
 * both, the only one that has the action; else the first.
 */
export function serviceFor(req: ApiRequest, services: readonly SimService[] = SERVICES): SimService {
  let best: SimService | undefined;
  let bestScore = 0;
  for (const service of services) {
    const score = service.protocol.recognise(req);
    if (score > bestScore) [best, bestScore] = [service, score];
  }
  if (best) return best;
  const owners = services.filter((s) => Object.hasOwn(s.actions, s.protocol.actionOf(req)));
  return owners.length === 1 ? owners[0]! : services[0]!;
}
