/**
 * A stand-in for a fresh Amazon Linux 2023 instance, good enough to run user data for real: bash, curl,
 * unzip, cp and the rest are this machine's own; only the package manager and systemctl are stubs that
 * record their calls. The script runs in its own mount namespace (`unshare`) where /var, /tmp and
 * /dev/console are folders and a file of this test, and the root filesystem is read-only — so what it
 * writes stays in those folders, where the test reads it back afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** How to enter a mount namespace here, or why it cannot be done. */
export type NamespaceSupport = { unshareArgs: string[] } | { reason: string };

/**
 * Root gets a plain mount namespace; anyone else needs a user namespace mapped to root as well, which
 * some kernels and containers refuse.
 */
export function namespaceSupport(): NamespaceSupport {
  const asRoot = process.getuid?.() === 0;
  const unshareArgs = asRoot
    ? ['--mount', '--propagation', 'private']
    : ['--user', '--map-root-user', '--mount', '--propagation', 'private'];
  // The probe binds a folder over itself, as the run binds the test's folders.
  const folder = mkdtempSync(join(tmpdir(), 'site-unshare-probe-'));
  const probe = spawnSync('unshare', [...unshareArgs, 'mount', '--bind', folder, folder], {
    encoding: 'utf8',
  });
  rmSync(folder, { recursive: true, force: true });
  if (probe.error) return { reason: `unshare could not be run (${probe.error.message})` };
  if (probe.status !== 0) {
    return { reason: `unshare ${unshareArgs.join(' ')} is not permitted here: ${probe.stderr.trim()}` };
  }
  return { unshareArgs };
}

/** Where cloud-init puts the user data script on the instance. */
const SCRIPT_PATH = '/var/lib/cloud/instance/scripts/part-001';
/** cloud-init's PATH on Amazon Linux 2023: /usr/local/bin (our stubs) comes before /usr/bin. */
const INSTANCE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const STUB_CALLS = '/var/log/site-test-stub-calls.log';
const STUBBED = ['dnf', 'yum', 'systemctl'] as const;

/**
 * Runs inside the namespace. Each mount is bound from a folder of the test; /tmp last, as the test's own
 * folder may lie under it. Stubs are also bound over the host's own copies, so an absolute path reaches
 * them too. Then / is remounted read-only (in this namespace only): a script writing anywhere else fails.
 */
const ENTER = `set -eu
machine=$1
shift
# Folders outside /var the script writes to (a storage source's /etc and /usr/local/sbin): an overlay each, whose
# changes land in the test's folder (<machine>/overlay/<path>/upper) and never reach this machine.
for target in "$@"; do
  layer="$machine/overlay$target"
  mount -t overlay overlay -o "lowerdir=$target,upperdir=$layer/upper,workdir=$layer/work" "$target"
done
mount --bind "$machine/bin" /usr/local/bin
for tool in ${STUBBED.join(' ')}; do
  if [ -e "/usr/bin/$tool" ]; then mount --bind "$machine/bin/$tool" "/usr/bin/$tool"; fi
done
if [ -e /dev/console ]; then mount --bind "$machine/console" /dev/console; fi
mount --bind "$machine/var" /var
mount --bind "$machine/tmp" /tmp
mount -o remount,bind,ro /
exec env -i PATH=${INSTANCE_PATH} HOME=/root LANG=C.UTF-8 /bin/bash ${SCRIPT_PATH}
`;

export interface RunResult {
  /** The script's exit status (null when a signal ended it). */
  status: number | null;
  /** What the script wrote to stdout and stderr: what cloud-init keeps of it. */
  output: string;
  /** What the namespace set-up itself complained about, if anything. */
  harnessErrors: string;
}

export class FakeInstance {
  private constructor(
    private readonly root: string,
    private readonly unshareArgs: string[],
    private readonly overlays: readonly string[],
  ) {}

  /** `overlays`: folders outside /var the script may write to (e.g. /etc), each an overlay kept in the test's folder. */
  static async create(unshareArgs: string[], overlays: readonly string[] = []): Promise<FakeInstance> {
    const root = await mkdtemp(join(tmpdir(), 'site-user-data-'));
    for (const dir of ['bin', 'tmp', 'var/log', 'var/lib/cloud/instance/scripts']) {
      await mkdir(join(root, dir), { recursive: true });
    }
    for (const target of overlays)
      for (const layer of ['upper', 'work'])
        await mkdir(join(root, 'overlay', target, layer), { recursive: true });
    await writeFile(join(root, 'console'), '');
    const instance = new FakeInstance(root, unshareArgs, overlays);
    for (const tool of STUBBED) await instance.stub(tool, 0);
    return instance;
  }

  /** Make `tool` a stub that records its arguments and exits with `status`. */
  async stub(tool: (typeof STUBBED)[number], status: number): Promise<void> {
    const path = join(this.root, 'bin', tool);
    await writeFile(path, `#!/bin/bash\nprintf '%s\\n' "${tool} $*" >>${STUB_CALLS}\nexit ${status}\n`);
    await chmod(path, 0o755);
  }

  /**
   * Run `script` as cloud-init would on a boot: as root, from its scripts folder, with a clean environment.
   * The console and the stubs' calls start empty on each run; /var (the site, the logs) persists.
   */
  async run(script: string): Promise<RunResult> {
    await writeFile(join(this.root, 'console'), '');
    await rm(join(this.root, 'var', STUB_CALLS.replace(/^\/var\//, '')), { force: true });
    const scriptFile = join(this.root, 'var', SCRIPT_PATH.replace(/^\/var\//, ''));
    await writeFile(scriptFile, script);
    await chmod(scriptFile, 0o700);
    const child = spawn(
      'unshare',
      [...this.unshareArgs, '/bin/bash', '-c', ENTER, 'enter', this.root, ...this.overlays],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 25_000,
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let harnessErrors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (harnessErrors += chunk));
    // 'close', not 'exit': the script's tee may still be writing the last lines when bash exits.
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    return { status, output, harnessErrors };
  }

  /** Every file under the document root, by path, with its content. */
  async documentRoot(): Promise<Record<string, string>> {
    const root = join(this.root, 'var/www/html');
    const files: Record<string, string> = {};
    let entries;
    try {
      entries = await readdir(root, { recursive: true, withFileTypes: true });
    } catch {
      return files;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(root, path)] = await readFile(path, 'utf8');
    }
    return files;
  }

  /** The modes of the document root and everything in it, by path (`.` for the root itself). */
  async documentRootModes(): Promise<Record<string, number>> {
    const root = join(this.root, 'var/www/html');
    const modes: Record<string, number> = { '.': (await stat(root)).mode & 0o777 };
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      modes[relative(root, path)] = (await stat(path)).mode & 0o777;
    }
    return modes;
  }

  /** What is in /var/www beside html (a staging folder left behind would show here). */
  async varWww(): Promise<string[]> {
    return (await readdir(join(this.root, 'var/www')).catch(() => [])).sort();
  }

  /** What is left in the instance's /tmp. */
  async tmp(): Promise<string[]> {
    return readdir(join(this.root, 'tmp'));
  }

  /** The stubs' calls, in order, as `tool arg…`. */
  async stubCalls(): Promise<string[]> {
    const text = await readFile(join(this.root, 'var', STUB_CALLS.replace(/^\/var\//, '')), 'utf8').catch(
      () => '',
    );
    return text.split('\n').filter(Boolean);
  }

  /** What was written to /dev/console: what the EC2 console output would show of the script. */
  async console(): Promise<string> {
    return readFile(join(this.root, 'console'), 'utf8');
  }

  async setupLog(): Promise<string> {
    return readFile(join(this.root, 'var/log/site-setup.log'), 'utf8').catch(() => '');
  }

  /** Put a file at `path` (relative to the instance's /) before a run. */
  async putFile(path: string, content: string): Promise<void> {
    await mkdir(dirname(join(this.root, path)), { recursive: true });
    await writeFile(join(this.root, path), content);
  }

  /**
   * Where an instance path (/var/…, or one under an overlay) lies on this machine, for reading what the script left.
   * An overlay path shows only what the script wrote there.
   */
  hostPath(instancePath: string): string {
    if (instancePath.startsWith('/var/')) return join(this.root, instancePath);
    const overlay = this.overlays.find((target) => instancePath.startsWith(`${target}/`));
    if (!overlay)
      throw new Error(`${instancePath} is neither under /var nor under an overlay of this instance`);
    return join(this.root, 'overlay', overlay, 'upper', instancePath.slice(overlay.length));
  }

  async destroy(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
