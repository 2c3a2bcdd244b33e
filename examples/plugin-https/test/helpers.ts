import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext, z } from '@site-cli/core/testing';
import { httpsSchema } from '../src/config.js';

export const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/4f9b2c1e-8a7d-4e3f-9c2b-1a2b3c4d5e6f';
export const OTHER_CERT =
  'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001';

/** The section as the core registers it from our site:config-schema hook (built with the core's zod). */
export const sections = [{ key: 'https', schema: httpsSchema(z) }];

/** A resource context as a run gives it: the site config with our `https` section, outputs shared. */
export function context(
  config: Record<string, unknown>,
  options: { endpoint?: string; outputs?: Map<string, unknown> } = {},
): ResourceContext {
  return createTestContext({ name: 'cafe', ...config }, { ...options, sections }).ctx;
}
