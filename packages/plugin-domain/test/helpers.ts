import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext, z } from '@site-cli/core/testing';
import { domainSchema } from '../src/config.js';

/** The section as the core registers it from our site:config-schema hook (built with the core's zod). */
export const sections = [{ key: 'domain', schema: domainSchema(z) }];

/** A resource context as a run gives it: the site config with our `domain` section. */
export function context(
  config: Record<string, unknown>,
  options: { outputs?: Map<string, unknown> } = {},
): ResourceContext {
  return createTestContext({ name: 'cafe', ...config }, { ...options, sections }).ctx;
}
