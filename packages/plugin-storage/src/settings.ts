import type { SiteConfig } from '@site-cli/core/plugin';

/** The `storage` section of the configuration (hooks/config-schema.ts declares it). */
export interface StorageSettings {
  /** Releases kept in the bucket, the current one included: how far `site rollback` can go back. */
  keep: number;
}

export const DEFAULT_KEEP = 5;

export function storageSettings(config: SiteConfig): StorageSettings {
  const section = config.storage as Partial<StorageSettings> | undefined;
  return { keep: section?.keep ?? DEFAULT_KEEP };
}
