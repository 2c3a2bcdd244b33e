/**
 * What the instance's setup script makes of its site source, decided at launch: a zip source
 * (`SITE_URL='…'`) is downloaded for real and unpacked with the script's rule (content/instance-content.ts),
 * and the verdict — its version, or why the setup fails — is stored on the instance, so its console output,
 * its targets' health and the pages the load balancer serves tell the same story. A script that is not
 * site's is not modelled: it counts as serving whatever it serves.
 */
import { decodeUserData } from '../context.js';
import type { InstanceContent, LaunchOutcome } from '../content/instance-content.js';
import { siteSourceOf } from '../content/instance-content.js';

/** The URL the script downloads: `SITE_URL='…'` in site's script, else the first http(s) URL. */
export function zipUrlOf(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  const source = siteSourceOf(userData);
  if (source?.kind === 'zip') return source.url;
  return /https?:\/\/[^\s'"<>]+/i.exec(decodeUserData(userData))?.[0];
}

export function setupOutcomeFor(
  userData: string | undefined,
  content: InstanceContent,
): Promise<LaunchOutcome> {
  return content.atLaunch(userData);
}
