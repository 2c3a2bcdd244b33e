import type { PluginApi, ResourceContext, SiteConfig } from '@site-cli/core/plugin';

/** The configuration key this plugin owns: `domain:` in the site config. */
export const CONFIG_KEY = 'domain';

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only (ELB User Guide, "Security policies"). */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export const HTTPS_PORT = 443;

/**
 * ACM's initial quota is 10 domain names per certificate, the certificate's own name included (ACM User Guide,
 * "Quotas"; the API reference of RequestCertificate: "the initial quota is 10 domain names"). So at most 9 aliases.
 */
export const MAX_NAMES_PER_CERTIFICATE = 10;
export const MAX_ALIASES = MAX_NAMES_PER_CERTIFICATE - 1;

/**
 * The certificate's first name is its Common Name: RFC 5280 and RequestCertificate's reference limit it to 64
 * octets; every name to 253, and each label to 63 (ACM's DomainNameString pattern).
 */
const MAX_COMMON_NAME = 64;
const MAX_NAME = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):certificate\/[A-Za-z0-9-]+$/;

/** Lower case, no trailing dot: how names are compared (DNS is case-insensitive; Route 53 answers with a dot). */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Why `name` is not a fully qualified domain name ACM and Route 53 accept, or undefined when it is one. */
export function fqdnProblem(name: string): string | undefined {
  const n = normalizeName(name);
  if (n.length === 0) return 'it is empty';
  if (n.includes('*')) return 'wildcards are not supported: name each host';
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(n) || n.includes('/')) return 'it is a URL: give the host name alone';
  if (n.length > MAX_NAME) return `it is ${n.length} characters long; a domain name has at most ${MAX_NAME}`;
  const labels = n.split('.');
  if (labels.length < 2) return 'it has a single label; a fully qualified name looks like www.example.com';
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined)
    return bad === ''
      ? 'it has an empty label (two dots in a row)'
      : `its label "${bad}" is not 1–63 letters, digits or hyphens (no hyphen first or last)`;
  if (/^\d+$/.test(labels.at(-1) ?? '')) return 'it is an IP address, not a domain name';
  return undefined;
}

/** True when `name` is `zone` itself or a name inside it. */
export function inZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
}

/**
 * The `domain` section, built with the core's zod (`runtime.z`). Everything that one section can show wrong is
 * checked here, so `site config validate` and every command refuse it with the key path before AWS is called.
 */
export function domainSchema(z: PluginApi['z']) {
  const fqdn = (what: string) =>
    z
      .string()
      .superRefine((value, issue) => {
        const problem = fqdnProblem(value);
        if (problem)
          issue.addIssue({
            code: 'custom',
            input: value,
            message: `${what}: a fully qualified domain name such as www.example-cafe.com (${problem})`,
          });
      })
      .transform(normalizeName);
  return z
    .strictObject({
      name: fqdn('the host name')
        .refine((name) => name.length <= MAX_COMMON_NAME, {
          message: `at most ${MAX_COMMON_NAME} characters: the name is the certificate's Common Name, which ACM limits so (a longer name can be an alias)`,
        })
        .describe('The host name the site answers on, e.g. www.example-cafe.com.'),
      zone: fqdn('the zone name')
        .optional()
        .describe('The Route 53 public hosted zone holding the records (found from the name when left out).'),
      aliases: z
        .array(fqdn('each alias'))
        .max(MAX_ALIASES, {
          message: `at most ${MAX_ALIASES} aliases: an ACM certificate holds ${MAX_NAMES_PER_CERTIFICATE} names by default, the site's name included (ACM quotas; ask AWS for an increase and use a certificateArn)`,
        })
        .default([])
        .describe('More host names for the same site, e.g. the apex example-cafe.com.'),
      certificateArn: z
        .string()
        .regex(ACM_ARN, 'an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>')
        .optional()
        .describe('An issued ACM certificate of yours to use instead of requesting one.'),
      takeOver: z
        .boolean()
        .default(false)
        .describe("Replace DNS records of these names that are not this site's (off: the deploy stops)."),
    })
    .superRefine((domain, issue) => {
      const seen = new Set<string>([domain.name]);
      domain.aliases.forEach((alias, index) => {
        if (seen.has(alias))
          issue.addIssue({
            code: 'custom',
            path: ['aliases', index],
            input: alias,
            message: 'each name once (it is already listed)',
          });
        seen.add(alias);
      });
      if (domain.zone === undefined) return;
      const zone = domain.zone;
      for (const [path, name] of [
        [['name'], domain.name],
        ...domain.aliases.map((alias, index) => [['aliases', index], alias] as const),
      ] as const) {
        if (fqdnProblem(name) === undefined && !inZone(name, zone))
          issue.addIssue({
            code: 'custom',
            path: [...path],
            input: name,
            message: `a name inside the zone ${zone} (ending in .${zone}): Route 53 holds a zone's own names only`,
          });
      }
    })
    .describe(
      'Your domain over HTTPS: an ACM certificate, Route 53 alias records, HTTP → HTTPS (@site-cli/plugin-domain).',
    );
}

/** The parsed section. */
export type DomainConfig = ReturnType<ReturnType<typeof domainSchema>['parse']>;

/** This plugin's section of a loaded configuration, or undefined when the site has no domain. */
export function domainConfig(config: SiteConfig): DomainConfig | undefined {
  const section = config[CONFIG_KEY] as DomainConfig | undefined;
  return section?.name ? section : undefined;
}

/** Every name the site answers on: the name first, then the aliases. */
export const namesOf = (domain: DomainConfig): string[] => [domain.name, ...domain.aliases];

/**
 * What the schema cannot see because it spans sections or the run: checked by every resource's discover, so
 * `plan`, `deploy` and `status` stop before anything changes. Exit 2, like any config error.
 */
export function checkSettings(ctx: ResourceContext): DomainConfig {
  const domain = domainConfig(ctx.config);
  if (!domain)
    throw ctx.error({ code: 'DOMAIN_NOT_CONFIGURED', message: 'domain.name is not set.', exitCode: 2 });
  const https = ctx.config.https as { certificateArn?: string } | undefined;
  if (https?.certificateArn) {
    throw ctx.error({
      code: 'HTTPS_DOMAIN_CONFLICT',
      message:
        'Both domain (@site-cli/plugin-domain) and https.certificateArn (@site-cli/plugin-https) want port 443 of the load balancer; one listener per port.',
      suggestions: [
        'Keep domain: it requests the certificate, adds the HTTPS listener and the redirect itself — remove the https section.',
        'Or keep https and remove the domain section (then no DNS records are made).',
      ],
      exitCode: 2,
      details: { key: 'https.certificateArn', value: https.certificateArn },
    });
  }
  if (ctx.config.alb.port === HTTPS_PORT) {
    throw ctx.error({
      code: 'DOMAIN_PORT_CONFLICT',
      message: `alb.port is ${HTTPS_PORT}, the port domain's HTTPS listener needs; a load balancer has one listener per port.`,
      suggestions: ['Set alb.port to 80 (the HTTP listener, which then redirects to HTTPS).'],
      exitCode: 2,
      details: { key: 'alb.port', value: ctx.config.alb.port },
    });
  }
  const region = domain.certificateArn ? ACM_ARN.exec(domain.certificateArn)?.[1] : undefined;
  if (region && region !== ctx.config.region) {
    throw ctx.error({
      code: 'DOMAIN_CERTIFICATE_REGION',
      message: `domain.certificateArn is an ACM certificate in ${region}, but the site is in ${ctx.config.region}: a load balancer uses certificates of its own region only.`,
      suggestions: [
        `Request or import it in ${ctx.config.region}, or leave certificateArn out and site requests one.`,
      ],
      exitCode: 2,
      details: { key: 'domain.certificateArn', value: domain.certificateArn },
    });
  }
  return domain;
}
