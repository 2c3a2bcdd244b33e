/**
 * An instance's setup log as the EC2 console output shows it: no login, no agent. The setup script
 * (user-data.ts) prints `site-setup: …` progress lines and ends with one `SITE SETUP DONE: …` or
 * `SITE SETUP FAILED: <reason>` line; the console carries them among kernel and cloud-init lines.
 */
import type { EC2 } from '@aws-sdk/client-ec2';
import type { LogEntry } from '@site-cli/core/plugin';

export const SETUP_FAILED = 'SITE SETUP FAILED: ';
export const SETUP_DONE = 'SITE SETUP DONE: ';
const MARKERS = ['site-setup: ', SETUP_DONE, SETUP_FAILED];

export interface SetupLog {
  /** The setup script's own lines, oldest first, each once in a row. */
  lines: string[];
  /** The last `SITE SETUP FAILED: …` line, when the last outcome is a failure. */
  failure?: string;
  /** The last `SITE SETUP DONE: …` line, when the last outcome is success. */
  done?: string;
}

/**
 * Pick the setup script's lines out of decoded console output. cloud-init prefixes what a user data script
 * prints (`[  41.2] cloud-init[1650]: site-setup: …`), and the outcome reaches the console twice (through
 * cloud-init and written to /dev/console): the text from the marker on counts, repeats in a row once.
 */
export function parseSetupLog(consoleText: string): SetupLog {
  const lines: string[] = [];
  let outcome: string | undefined;
  for (const raw of consoleText.split(/\r?\n|\r/)) {
    const starts = MARKERS.map((m) => raw.indexOf(m)).filter((i) => i >= 0);
    if (starts.length === 0) continue;
    const line = raw.slice(Math.min(...starts)).trimEnd();
    if (line !== lines.at(-1)) lines.push(line);
    if (line.startsWith(SETUP_FAILED) || line.startsWith(SETUP_DONE)) outcome = line;
  }
  const log: SetupLog = { lines };
  if (outcome?.startsWith(SETUP_FAILED)) log.failure = outcome;
  else if (outcome) log.done = outcome;
  return log;
}

/**
 * Xen-based instance types (every other current type is built on Nitro): AWS serves the latest console
 * output (`Latest: true`) on Nitro types only. A type missing here is still handled: its refusal falls back.
 */
const XEN_FAMILY = /^(t1|t2|m1|m2|m3|m4|c1|c3|c4|r3|r4|i2|i3|d2|x1|x1e|g2|g3|p2|p3|h1|f1|cc2|cr1|hs1)\./;

export function supportsLatestConsole(instanceType: string | undefined): boolean {
  return instanceType !== undefined && !XEN_FAMILY.test(instanceType);
}

/** Decoded console output of one instance: the latest where the type allows it, else the buffered one. */
export async function readConsole(
  ec2: EC2,
  instanceId: string,
  instanceType: string | undefined,
): Promise<{ text: string; time?: string }> {
  let answer;
  try {
    answer = await ec2.getConsoleOutput({
      InstanceId: instanceId,
      ...(supportsLatestConsole(instanceType) ? { Latest: true } : {}),
    });
  } catch (error) {
    const code = (error as { name?: string }).name ?? '';
    if (!supportsLatestConsole(instanceType) || !/Unsupported|InvalidParameter/.test(code)) throw error;
    answer = await ec2.getConsoleOutput({ InstanceId: instanceId });
  }
  const text = answer.Output ? Buffer.from(answer.Output, 'base64').toString('utf8') : '';
  return answer.Timestamp ? { text, time: new Date(answer.Timestamp).toISOString() } : { text };
}

/** Each instance's setup log as a log entry (for `ctx.logs()` and `site logs`). */
export async function setupLogEntries(
  ec2: EC2,
  instances: readonly { instanceId: string; instanceType?: string }[],
): Promise<(LogEntry & { consoleEmpty: boolean })[]> {
  return Promise.all(
    instances.map(async ({ instanceId, instanceType }) => {
      const { text, time } = await readConsole(ec2, instanceId, instanceType);
      const log = parseSetupLog(text);
      return {
        source: instanceId,
        lines: log.lines,
        ...(log.failure ? { failure: log.failure } : {}),
        ...(time ? { time } : {}),
        consoleEmpty: text.trim() === '',
      };
    }),
  );
}
