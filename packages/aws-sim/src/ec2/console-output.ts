/**
 * GetConsoleOutput: what the instance printed, consistent with what the sim decided (ec2/setup-outcome.ts):
 * boot lines once it runs, then site's setup script lines, its outcome line once httpd would be up.
 */
import type { SimContext } from '../context.js';
import { decodeUserData } from '../context.js';
import { err } from '../errors.js';
import type { InstanceRec } from '../state.js';
import { type ActionDef, notFoundList } from './common.js';
import { checkInstanceId } from './instances.js';
import { siteSourceOf } from '../content/instance-content.js';
import { zipUrlOf } from './setup-outcome.js';

/**
 * Xen-based families: `Latest` (the serial console's live output) is for Nitro instance types only, per the
 * GetConsoleOutput API reference.
 */
const XEN_FAMILY = /^(t1|t2|m1|m2|m3|m4|c1|c3|c4|r3|r4|i2|d2|x1|x1e|g2|g3|p2|h1|f1|cc2|cr1|hs1)\./;

export function supportsLatest(instanceType: string): boolean {
  return !XEN_FAMILY.test(instanceType);
}

function consoleText(ctx: SimContext, i: InstanceRec): string | undefined {
  const running = ctx.runningSince(i);
  const now = ctx.now();
  if (now < running) return undefined;
  const stamp = (ms: number) => `[${((ms - i.launchTime) / 1000).toFixed(6).padStart(12)}]`;
  const lines = [
    `${stamp(i.launchTime)} Linux version 6.1.0 (aws-sim) #1 SMP`,
    `${stamp(i.launchTime)} Command line: BOOT_IMAGE=/vmlinuz root=LABEL=/ console=tty0 console=ttyS0,115200n8`,
    `${stamp(running)} cloud-init: running modules for final`,
  ];
  const ud = i.userData ? decodeUserData(i.userData) : '';
  const source = siteSourceOf(i.userData);
  const url =
    source?.kind === 'storage' ? `s3://${source.bucket}/${source.pointerKey}` : zipUrlOf(i.userData);
  const done = running + ctx.profile.httpdBootMs;
  if (ud.includes('SITE SETUP') && url) {
    lines.push('site-setup: installing httpd and unzip', `site-setup: downloading ${url}`);
    if (now >= done)
      lines.push(
        i.setupFailure !== undefined
          ? `SITE SETUP FAILED: ${i.setupFailure}`
          : `SITE SETUP DONE: httpd serves ${url}`,
      );
  }
  if (now >= done) lines.push(`cloud-init: finished, datasource DataSourceEc2Local`);
  return lines.join('\r\n') + '\r\n';
}

export const consoleOutputActions: Record<string, ActionDef> = {
  GetConsoleOutput: {
    mutating: false,
    fn(ctx, input) {
      const id = ctx.requireParam<string>(input.InstanceId, 'InstanceId');
      checkInstanceId(id);
      const inst = ctx.findInstance(id);
      if (!inst) throw notFoundList('InvalidInstanceID.NotFound', 'instance ID', [id]);
      if (input.Latest && !supportsLatest(inst.instanceType))
        throw err(
          'UnsupportedOperation',
          `The instance type ${inst.instanceType} does not support retrieving the latest console output. Retry without Latest.`,
        );
      const text = consoleText(ctx, inst);
      return {
        InstanceId: id,
        Timestamp: new Date(ctx.now()),
        ...(text === undefined ? {} : { Output: Buffer.from(text, 'utf8').toString('base64') }),
      };
    },
  },
};
