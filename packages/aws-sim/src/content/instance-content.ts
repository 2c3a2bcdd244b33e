/**
 * What a simulated instance publishes, from the source its user data names:
 * - a zip (`SITE_URL='…'`, site's script): downloaded and unpacked once at launch; the verdict (the files, or
 *   why the setup fails) is kept on the instance so its console output and target health tell one story;
 * - a storage source (`SITE_CONTENT_BUCKET`, `SITE_CONTENT_POINTER`, `SITE_CONTENT_POLL_SECONDS`): the pointer
 *   object `{version, key, sha256}` read from the simulator's own S3 at boot and then every poll interval on
 *   the simulator clock; a new version is switched to whole (never a mix), one whose archive is missing or
 *   does not match its sha256 is not switched to.
 */
import { createHash } from 'node:crypto';
import { decodeUserData } from '../context.js';
import type { SimContext } from '../context.js';
import type { InstanceRec } from '../state.js';
import { readArchive } from './archive.js';
import { filesVersion, statusFromPaths, type WebRoot } from './web-root.js';
import { loadSiteZip, type ZipFetchOptions } from './zip-source.js';

export type SiteSource =
  { kind: 'zip'; url: string } | { kind: 'storage'; bucket: string; pointerKey: string; pollSeconds: number };

/** Reads one object of the simulated S3 (the S3 service's state); undefined when there is none. */
export type ObjectReader = (ctx: SimContext, bucket: string, key: string) => Buffer | undefined;

/** A `NAME='value'` assignment of the script, its shell quoting undone. */
function shellVar(script: string, name: string): string | undefined {
  const m = new RegExp(`^${name}='((?:[^']|'\\\\'')*)'`, 'm').exec(script);
  return m?.[1]!.replace(/'\\''/g, "'");
}

/** The source site's script publishes, or undefined for a script that is not site's. */
export function siteSourceOf(userData: string | undefined): SiteSource | undefined {
  if (!userData) return undefined;
  const script = decodeUserData(userData);
  const bucket = shellVar(script, 'SITE_CONTENT_BUCKET');
  if (bucket) {
    const poll = Number(shellVar(script, 'SITE_CONTENT_POLL_SECONDS') ?? '');
    return {
      kind: 'storage',
      bucket,
      pointerKey: shellVar(script, 'SITE_CONTENT_POINTER') || 'current.json',
      pollSeconds: Number.isFinite(poll) && poll > 0 ? poll : 60,
    };
  }
  const url = shellVar(script, 'SITE_URL');
  return url ? { kind: 'zip', url } : undefined;
}

export interface Release {
  version: string;
  key: string;
  sha256: string;
}

/** What the instance's setup makes of its source at launch. */
export interface LaunchOutcome {
  /** Why the setup fails (the text after `SITE SETUP FAILED: `). */
  failure?: string;
  /** The version its zip publishes. */
  version?: string;
  /** The files of that version. */
  paths?: string[];
}

export interface InstanceContentOptions extends ZipFetchOptions {
  objects?: ObjectReader;
}

/** Per simulator: the published roots (by version, shared by instances) and each storage instance's state. */
export class InstanceContent {
  private roots = new Map<string, WebRoot>();
  private served = new Map<string, { root?: WebRoot; polledAt: number }>();
  private releases = new Map<string, WebRoot | null>();

  constructor(private readonly options: InstanceContentOptions = {}) {}

  get objects(): ObjectReader | undefined {
    return this.options.objects;
  }

  /** Run before RunInstances (outside the state lock): fetches and judges a zip source. */
  async atLaunch(userData: string | undefined): Promise<LaunchOutcome> {
    const source = siteSourceOf(userData);
    if (source?.kind !== 'zip') return {};
    const unpacked = await loadSiteZip(source.url, this.options);
    if ('failure' in unpacked) return { failure: unpacked.failure };
    const root = { version: filesVersion(unpacked.files), files: unpacked.files };
    this.roots.set(root.version, root);
    return { version: root.version, paths: [...root.files.keys()].sort() };
  }

  /**
   * The root the instance serves now, or undefined while it serves none (setup failed, httpd not up, no
   * release published yet). A zip root known only to another process is fetched again (from the cache).
   */
  async rootFor(ctx: SimContext, i: InstanceRec): Promise<WebRoot | undefined> {
    const source = siteSourceOf(i.userData);
    if (!source) return undefined;
    const up = ctx.runningSince(i) + ctx.profile.httpdBootMs;
    if (ctx.now() < up || i.setupFailure !== undefined) return undefined;
    if (source.kind === 'storage') return this.storageRoot(ctx, i, source, up);
    const version = i.contentVersion;
    if (version && this.roots.has(version)) return this.roots.get(version);
    const unpacked = await loadSiteZip(source.url, this.options);
    if ('failure' in unpacked) return undefined;
    const root = { version: filesVersion(unpacked.files), files: unpacked.files };
    this.roots.set(root.version, root);
    return root;
  }

  /** Whether the instance's httpd has its content to serve at this moment (for its health checks). */
  hasContent(ctx: SimContext, i: InstanceRec): boolean {
    const source = siteSourceOf(i.userData);
    if (source?.kind !== 'storage') return i.setupFailure === undefined;
    return this.currentRelease(ctx, source) !== undefined || this.served.get(i.id)?.root !== undefined;
  }

  /**
   * The status the instance's httpd answers a health check of `path` with, when its content is known: a zip's
   * from the paths kept on the instance; a storage release's from the one it serves (or would boot into).
   */
  healthCheckStatus(ctx: SimContext, i: InstanceRec, path: string): number | undefined {
    const source = siteSourceOf(i.userData);
    if (source?.kind === 'zip') return i.contentPaths ? statusFromPaths(i.contentPaths, path) : undefined;
    if (source?.kind !== 'storage') return undefined;
    const root = this.served.get(i.id)?.root ?? this.currentRelease(ctx, source);
    return root ? statusFromPaths([...root.files.keys()], path) : undefined;
  }

  /** Polls as the instance's timer would: at boot, then every interval; switches whole or not at all. */
  private storageRoot(
    ctx: SimContext,
    i: InstanceRec,
    source: Extract<SiteSource, { kind: 'storage' }>,
    bootAt: number,
  ): WebRoot | undefined {
    const every = Math.max(1, ctx.seconds(source.pollSeconds));
    const lastPoll = bootAt + Math.floor((ctx.now() - bootAt) / every) * every;
    const mine = this.served.get(i.id);
    if (mine && mine.polledAt >= lastPoll) return mine.root;
    const next = this.currentRelease(ctx, source) ?? mine?.root;
    this.served.set(i.id, { root: next, polledAt: lastPoll });
    return next;
  }

  /** The release the pointer names, when its archive is there and matches; undefined otherwise. */
  private currentRelease(
    ctx: SimContext,
    source: Extract<SiteSource, { kind: 'storage' }>,
  ): WebRoot | undefined {
    const read = this.options.objects;
    const pointerBytes = read?.(ctx, source.bucket, source.pointerKey);
    if (!read || !pointerBytes) return undefined;
    let pointer: Release;
    try {
      pointer = JSON.parse(pointerBytes.toString('utf8')) as Release;
    } catch {
      return undefined;
    }
    if (typeof pointer?.key !== 'string' || pointer.version === undefined) return undefined;
    const cacheKey = `${source.bucket}\0${pointer.key}\0${pointer.sha256}\0${pointer.version}`;
    if (!this.releases.has(cacheKey)) {
      const archive = read(ctx, source.bucket, pointer.key);
      const sha = archive && createHash('sha256').update(archive).digest('hex');
      const files =
        archive && (!pointer.sha256 || sha === String(pointer.sha256).toLowerCase())
          ? readArchive(archive)
          : undefined;
      // A missing archive may still be uploaded: only a complete, matching one is remembered.
      if (!files) return undefined;
      this.releases.set(cacheKey, { version: String(pointer.version), files });
    }
    return this.releases.get(cacheKey) ?? undefined;
  }
}
