import { z } from 'zod';
import * as limits from './limits.js';
import { cidrHostBitsFix, isArmInstanceType, isCidr, matcherProblem } from './value-checks.js';
import { SITE_OWNED_TAG_KEYS, USER_TAGS_MAX } from '../tags.js';

/**
 * The one schema of a site's configuration: validation, defaults (the seed's, hardened),
 * the types every plugin sees, and the JSON Schema editors complete from.
 * About 300 lines on purpose: it reads top to bottom like a site.config.yaml, one section after another, and
 * splitting it would scatter one declaration; the checks its refinements call live in value-checks.ts.
 */

// 28 leaves room for the longest derived name, '<name>-alb' / '<name>-tg', inside AWS's 32 (limits.ts).
export const SITE_NAME_MAX = limits.SITE_NAME_MAX;
/**
 * Bounds of our own that keep the generated user data inside EC2's 16 KB (limits.ts): at worst, a URL of 2048
 * shell-quoted apostrophes or three-byte characters, the script is about 13.5 KB.
 */
export const TEMPLATE_NAME_MAX = 100;
export const SOURCE_URL_MAX = 2048;
export const SITE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** family (t3, m7gd, c6in, mac2-m2) '.' size: catches a typo before RunInstances is ever called. */
export const INSTANCE_TYPE_PATTERN =
  /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;

const siteName = z
  .string()
  .min(1, 'a site name of 1 to 28 characters')
  .max(
    SITE_NAME_MAX,
    `at most ${SITE_NAME_MAX} characters (load balancer and target group names derive from it)`,
  )
  .regex(SITE_NAME_PATTERN, 'lowercase letters, digits and hyphens, not starting or ending with a hyphen')
  // '<name>-alb' must not begin with "internal-", '<name>-instance-sg' not with "sg-" (limits.ts).
  .refine((name) => !`${name}-`.startsWith(limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX), {
    message: `a name that does not begin with "internal" (the load balancer <name>-alb would begin with "internal-", which AWS refuses)`,
  })
  .refine((name) => !`${name}-`.startsWith(limits.SECURITY_GROUP_NAME_FORBIDDEN_PREFIX), {
    message: `a name that does not begin with "sg" (the security groups <name>-…-sg would begin with "sg-", which AWS refuses)`,
  })
  .describe('Prefixes every resource name and tags everything as site:name.');

const region = z
  .string()
  .regex(/^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region such as us-east-1')
  .describe('AWS region.');

const CIDR_EXPECTED = 'auto, none, or an IPv4 or IPv6 CIDR such as 203.0.113.7/32';

const cidr = z
  .string()
  .refine(isCidr, CIDR_EXPECTED)
  .refine((value) => cidrHostBitsFix(value) === undefined, {
    error: (issue) => cidrHostBitsFix(issue.input) ?? CIDR_EXPECTED,
  })
  .describe('A CIDR block.');

const templateSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^\d{3,5}$/, 'a Tooplate template number such as "2137"')
      .describe('Tooplate template number.')
      .default('2137'),
    name: z
      .string()
      .max(TEMPLATE_NAME_MAX)
      .regex(/^[a-z0-9_]+$/, 'the template slug such as barista_cafe (lowercase, digits, underscores)')
      .describe('Tooplate template slug: the zip is <id>_<name>.zip.')
      .default('barista_cafe'),
  })
  .describe('The Tooplate template served, fetched by the instance from tooplate.com.');

const sourceSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL of a .zip file' })
      .max(SOURCE_URL_MAX)
      .optional()
      .describe('Any zip whose (single) top folder holds the site.'),
    dir: z
      .string()
      .min(1, 'a folder such as ./public')
      .optional()
      .describe(
        "Your own folder (relative to the config file): packed, stored in the site's private S3 bucket and switched to in place.",
      ),
  })
  .superRefine((source, context) => {
    // One source: the instances serve exactly one of them.
    if ((source.url === undefined) === (source.dir === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        input: source,
        message:
          source.url === undefined
            ? 'either source.url (a zip to serve) or source.dir (your own folder)'
            : 'either source.url or source.dir, not both: remove one of them',
      });
    }
  })
  .describe('Serve this zip, or your own folder, instead of a Tooplate template.');

const amiFilterSchema = z
  .strictObject({
    filter: z
      .string()
      .min(1)
      .default('al2023-ami-2023.*-x86_64')
      .describe('Image name filter; the newest match wins.'),
    owner: z.string().min(1).default('amazon').describe('Image owner alias or account id.'),
  })
  .describe('Find the AMI by name filter and owner.');

const amiId = z
  .string()
  .regex(/^ami-[0-9a-f]{8}(?:[0-9a-f]{9})?$/, 'an AMI id such as ami-0123456789abcdef0')
  .describe('A fixed AMI id.');

const scalingSchema = z
  .strictObject({
    min: z
      .number()
      .int()
      .min(limits.SCALING_SIZE.min)
      .max(limits.SCALING_SIZE.max)
      .describe('Fewest instances the group keeps running (and replaces when one fails).'),
    max: z
      .number()
      .int()
      .min(1)
      .max(limits.SCALING_SIZE.max)
      .describe('Most instances the group may run; scaling policies and `site scale` stay within it.'),
    desired: z
      .number()
      .int()
      .min(limits.SCALING_SIZE.min)
      .max(limits.SCALING_SIZE.max)
      .optional()
      .describe(
        'Instances to run when the group is created (default: min); left to the policies afterwards.',
      ),
    cpuTarget: z
      .number()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'Target-tracking policy: keep the average CPU utilisation of the group near this percentage.',
      ),
    requestsPerTarget: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Target-tracking policy: keep the load balancer requests per instance and minute near this.'),
  })
  .superRefine((scaling, context) => {
    if (scaling.min > scaling.max) {
      context.addIssue({
        code: 'custom',
        path: ['min'],
        input: scaling.min,
        message: `at most max (${scaling.max}): min ${scaling.min} > max ${scaling.max}; lower min or raise max`,
      });
    }
    const desired = scaling.desired;
    if (desired !== undefined && (desired < scaling.min || desired > scaling.max)) {
      context.addIssue({
        code: 'custom',
        path: ['desired'],
        input: desired,
        message: `between min and max (${scaling.min}–${scaling.max}); set desired within them or leave it out`,
      });
    }
    if (scaling.cpuTarget !== undefined && scaling.requestsPerTarget !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['requestsPerTarget'],
        input: scaling.requestsPerTarget,
        message:
          'either cpuTarget or requestsPerTarget: site keeps one target-tracking policy per group; remove one',
      });
    }
  })
  .describe(
    'Run the instances in an EC2 Auto Scaling group that heals and grows by itself, instead of instance.count.',
  );

const instanceSchema = z
  .strictObject({
    type: z
      .string()
      .regex(INSTANCE_TYPE_PATTERN, 'an EC2 instance type such as t2.micro or m7i.2xlarge')
      .describe('EC2 instance type.')
      .default('t2.micro'),
    count: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(1)
      .describe('Instances behind the load balancer, spread across AZs.'),
    ami: z
      .union([amiId, amiFilterSchema], {
        error: 'an AMI id such as ami-0123456789abcdef0, or { filter, owner }',
      })
      .prefault({})
      .describe('An AMI id, or a name filter and owner.'),
    userDataFile: z
      .string()
      .min(1)
      .optional()
      .describe('Use this file as user data instead of the generated script.'),
    volumeSize: z
      .number()
      .int()
      .min(limits.VOLUME_SIZE.min)
      .max(limits.VOLUME_SIZE.max)
      .default(8)
      .describe('Root volume size in GiB (encrypted gp3).'),
    scaling: scalingSchema.optional(),
  })
  .superRefine((instance, context) => {
    // Fixed instances or a group: the group's bounds decide how many run, so a count beside them contradicts them.
    if (instance.scaling && instance.count > 1) {
      context.addIssue({
        code: 'custom',
        path: ['count'],
        input: instance.count,
        message: `either instance.count or instance.scaling, not both: remove instance.count (scaling.min/max decide how many instances run)`,
      });
    }
    // An Arm type with the (default) x86_64 image filter fails at RunInstances, after half the site exists.
    const ami = instance.ami;
    if (typeof ami === 'object' && isArmInstanceType(instance.type) && /x86_64/.test(ami.filter)) {
      context.addIssue({
        code: 'custom',
        path: ['type'],
        input: instance.type,
        message:
          `an instance type that runs the image the filter "${ami.filter}" picks (x86_64); ${instance.type} is an Arm (Graviton) type: ` +
          `set instance.ami.filter to "${ami.filter.replace(/x86_64/g, 'arm64')}", or choose an x86 type such as t3.micro`,
      });
    }
  })
  .describe('The EC2 instances that serve the site.');

const sshSchema = z
  .strictObject({
    cidr: z
      .union([z.literal('auto'), z.literal('none'), cidr], {
        error: (issue) => cidrHostBitsFix(issue.input) ?? 'auto, none, or a CIDR such as 203.0.113.7/32',
      })
      .default('auto')
      .describe('auto = your public IP /32; none = no SSH rule; or a CIDR.'),
  })
  .describe('Who may SSH to the instances.');

const healthCheckSchema = z
  .strictObject({
    path: z
      .string()
      .min(limits.HEALTH_CHECK_PATH.min)
      .max(limits.HEALTH_CHECK_PATH.max)
      .regex(
        limits.HEALTH_CHECK_PATH_PATTERN,
        'a path starting with / of letters, digits and - @ : % _ + . ~ # ? & / = (percent-encode anything else)',
      )
      .describe('The path the load balancer requests.')
      .default('/'),
    interval: z
      .number()
      .int()
      .min(limits.HEALTH_CHECK_INTERVAL.min)
      .max(limits.HEALTH_CHECK_INTERVAL.max)
      .default(10)
      .describe('Seconds between checks.'),
    timeout: z
      .number()
      .int()
      .min(limits.HEALTH_CHECK_TIMEOUT.min)
      .max(limits.HEALTH_CHECK_TIMEOUT.max)
      .default(5)
      .describe('Seconds before a check counts as failed; less than interval.'),
    healthyThreshold: z
      .number()
      .int()
      .min(limits.HEALTH_CHECK_THRESHOLD.min)
      .max(limits.HEALTH_CHECK_THRESHOLD.max)
      .default(2)
      .describe('Passed checks before a target is healthy.'),
    unhealthyThreshold: z
      .number()
      .int()
      .min(limits.HEALTH_CHECK_THRESHOLD.min)
      .max(limits.HEALTH_CHECK_THRESHOLD.max)
      .default(2)
      .describe('Failed checks before a target is unhealthy.'),
    matcher: z
      .string()
      .regex(/^\d{3}(?:(?:,\d{3})*|-\d{3})$/, 'HTTP codes such as 200, 200,202 or a range such as 200-299')
      .refine((matcher) => matcherProblem(matcher) === undefined, {
        error: (issue) => matcherProblem(String(issue.input)) ?? 'HTTP codes from 200 to 499',
      })
      .describe('HTTP codes that count as healthy: 200-499, a list (200,202) or a range (200-299).')
      .default('200'),
  })
  .superRefine((check, context) => {
    // AWS: "Health check interval must be greater than the timeout" (limits.ts).
    if (check.timeout >= check.interval) {
      context.addIssue({
        code: 'custom',
        path: ['timeout'],
        input: check.timeout,
        message:
          `a timeout less than the interval (${check.interval} s; AWS refuses a timeout of ${check.timeout} s with it): ` +
          `set alb.healthCheck.timeout to at most ${check.interval - 1}, or alb.healthCheck.interval to at least ${check.timeout + 1}`,
      });
    }
  })
  .describe('How the load balancer checks the instances.');

const albSchema = z
  .strictObject({
    port: z
      .number()
      .int()
      .min(limits.LISTENER_PORT.min)
      .max(limits.LISTENER_PORT.max)
      .default(80)
      .describe('The port the load balancer listens on.'),
    healthCheck: healthCheckSchema.prefault({}),
    deregistrationDelay: z
      .number()
      .int()
      .min(limits.DEREGISTRATION_DELAY.min)
      .max(limits.DEREGISTRATION_DELAY.max)
      .default(30)
      .describe('Seconds a draining target keeps its connections.'),
  })
  .describe('The Application Load Balancer, its listener and target group.');

const vpcSchema = z
  .strictObject({
    id: z
      .union(
        [z.literal('default'), z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id such as vpc-0123abcd')],
        {
          error: 'default, or a VPC id such as vpc-0123abcd',
        },
      )
      .default('default')
      .describe('default = the default VPC; or a VPC id.'),
  })
  .describe('Where the instances and the load balancer go.');

const tagKey = z
  .string()
  .min(1)
  .max(limits.TAG_KEY_MAX)
  .regex(limits.TAG_KEY_PATTERN, 'letters, digits, spaces and + - = . _ : / @')
  .refine((key) => !limits.TAG_SURROUNDING_SPACE.test(key), 'no leading or trailing spaces')
  .refine((key) => !limits.AWS_RESERVED_TAG_PREFIX.test(key), {
    message: 'a tag key not starting with aws: in any case (reserved for AWS)',
  })
  .refine((key) => !/^site:/i.test(key) && !SITE_OWNED_TAG_KEYS.includes(key), {
    message: `a tag key site does not set itself (${SITE_OWNED_TAG_KEYS.filter((k) => !k.startsWith('site:')).join(', ')} and site:* are site's own; they mark what it manages)`,
  });

const tagValue = z
  .string()
  .max(limits.TAG_VALUE_MAX)
  .regex(limits.TAG_VALUE_PATTERN, 'letters, digits, spaces and + - = . _ : / @')
  .refine((value) => !limits.TAG_SURROUNDING_SPACE.test(value), 'no leading or trailing spaces')
  .refine((value) => !limits.AWS_RESERVED_TAG_PREFIX.test(value), {
    message: 'a tag value not starting with aws: in any case (reserved for AWS)',
  });

const tagsSchema = z
  .record(tagKey, tagValue)
  .refine((tags) => Object.keys(tags).length <= USER_TAGS_MAX, {
    error: (issue) =>
      `at most ${USER_TAGS_MAX} tags (found ${Object.keys(issue.input as object).length}): AWS allows ${limits.TAGS_PER_RESOURCE_MAX} per resource and site keeps ${limits.TAGS_PER_RESOURCE_MAX - USER_TAGS_MAX} for its own`,
  })
  .default({})
  .describe(`Extra tags on every resource (at most ${USER_TAGS_MAX}).`);

export const siteConfigShape = {
  $schema: z.string().optional().describe('JSON Schema for editors.'),
  name: siteName.default('barista-cafe'),
  region: region.default('us-east-1'),
  profile: z.string().min(1).optional().describe('AWS shared-config profile.'),
  endpointUrl: z.url().optional().describe('Send AWS calls to this endpoint (LocalStack, moto, aws-sim).'),
  template: templateSchema.prefault({}),
  source: sourceSchema.optional(),
  instance: instanceSchema.prefault({}),
  ssh: sshSchema.prefault({}),
  alb: albSchema.prefault({}),
  vpc: vpcSchema.prefault({}),
  keyName: z
    .string()
    .max(limits.KEY_PAIR_NAME_MAX)
    .regex(/^[\w.-]+$/, 'letters, digits, . _ and -')
    .optional()
    .describe('Key pair name; defaults to <name>-key.'),
  keyDir: z
    .string()
    .min(1)
    .optional()
    .describe('Where <key name>.pem is written; defaults beside the config file.'),
  tags: tagsSchema,
};

export const siteConfigSchema = z.strictObject(siteConfigShape);

/** The resolved configuration every resource reads. Plugin sections are added under their own keys. */
export type SiteConfig = z.output<typeof siteConfigSchema> & { readonly [pluginSection: string]: unknown };
export type SiteConfigInput = z.input<typeof siteConfigSchema>;
