import type { DoctorCheck } from '@site-cli/core/plugin';
import type { PublicIpOutput } from '../outputs.js';

const NAME = 'ssh rule';

/**
 * The instances' SSH rule against where SSH should come from now. A changed public IP is the common reason SSH
 * stops working: the rule still names the old one, and `site deploy` moves it.
 */
export function sshRuleCheck(
  ruleCidr: string | null,
  source: PublicIpOutput | undefined,
  deployCommand: string,
): DoctorCheck {
  const moveIt = (to: string) => `Run \`${deployCommand}\` to move the SSH rule to ${to}.`;
  if (!source || source.source === 'lookup-failed')
    return {
      name: NAME,
      status: 'warn',
      message: `Your public IP address could not be looked up; the SSH rule allows ${ruleCidr ?? 'no address'}.`,
      fix: 'Set ssh.cidr in the config file to your address as a CIDR (e.g. 203.0.113.7/32), or check your connection.',
    };
  if (source.source === 'none')
    return ruleCidr
      ? {
          name: NAME,
          status: 'warn',
          message: `ssh.cidr is none, yet the instances' security group lets SSH in from ${ruleCidr}.`,
          fix: `Run \`${deployCommand}\` to remove the SSH rule.`,
        }
      : { name: NAME, status: 'pass', message: 'No SSH rule, as ssh.cidr: none asks.' };
  const wanted = source.sshCidr!;
  const whose = source.source === 'detected' ? 'your current public IP' : 'ssh.cidr';
  if (ruleCidr === wanted)
    return { name: NAME, status: 'pass', message: `SSH is allowed from ${wanted} (${whose}).` };
  if (!ruleCidr)
    return {
      name: NAME,
      status: 'fail',
      message: `The instances' security group has no SSH rule: ssh to them times out (${whose} is ${wanted}).`,
      fix: `Run \`${deployCommand}\` to add it for ${wanted}.`,
    };
  return {
    name: NAME,
    status: 'fail',
    message: `The SSH rule allows ${ruleCidr}, but ${whose} is ${wanted}: ssh to the instances times out from here.`,
    fix: moveIt(wanted),
  };
}
