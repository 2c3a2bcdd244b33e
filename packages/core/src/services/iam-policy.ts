import type { SiteConfig } from '../config/schema.js';
import { ExitCode, SiteError } from '../errors.js';
import type { RegisteredResource } from '../graph/resource.js';
import { IAM_ACTION, SERVICE_LINKED_ROLES, scopeOf, type ActionScope } from '../iam/scopes.js';
import { createNaming } from '../naming.js';
import { TAG_SITE } from '../tags.js';

export interface PolicyStatement {
  /** What the statement is for, in words run together (IAM allows only letters and digits). */
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface IamPolicy {
  site: string;
  region: string;
  policy: PolicyDocument;
  /** The policy's size as IAM counts it (every character but whitespace). */
  size: number;
  /**
   * Only when `policy` is larger than one managed policy may be: the same statements in documents that each fit,
   * to create and attach side by side (together they grant exactly what `policy` does).
   */
  parts?: PolicyDocument[];
  /** Every action granted, with the resources (and plugins) that declare it. */
  actions: { action: string; resources: string[] }[];
}

type PolicyResource = Pick<RegisteredResource, 'id' | 'iam' | 'plugin'>;

/** The resources whose S3 and IAM actions are on the site's own bucket, role and profile (plugin-storage's). */
const SITE_ARN_OWNER = 'storage.';

/** The AWS partition of a region: ARNs differ in China and GovCloud. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const SERVICE_WORDS: Record<string, string> = {
  ec2: 'Ec2',
  elasticloadbalancing: 'LoadBalancing',
  autoscaling: 'AutoScaling',
  acm: 'Certificate',
};
const words = (service: string) => SERVICE_WORDS[service] ?? service.replace(/[^A-Za-z0-9]/g, '');

/** Every declared action with who declares it; a malformed one is the plugin's bug, named as such. */
function collect(resources: readonly PolicyResource[]): Map<string, string[]> {
  const declared = new Map<string, string[]>();
  for (const resource of resources) {
    for (const action of resource.iam) {
      if (!IAM_ACTION.test(action)) {
        throw new SiteError({
          code: 'IAM_ACTION_INVALID',
          message: `${resource.id} (from ${resource.plugin.name}@${resource.plugin.version}) declares the IAM action "${action}", which is not of the form service:Action.`,
          suggestions: [
            'Report it to the plugin’s author, or uninstall the plugin (`site plugins uninstall`).',
          ],
          exitCode: ExitCode.usage,
          details: { resourceId: resource.id, action },
        });
      }
      declared.set(action, [...(declared.get(action) ?? []), resource.id]);
    }
  }
  return declared;
}

/**
 * The least-privilege policy for these resources (every installed plugin's), for one site: each action a
 * resource declares, narrowed to the site's tags or names where AWS supports it (see iam/scopes.ts).
 * Needs no AWS call and no credentials.
 */
export function buildIamPolicy(
  config: Pick<SiteConfig, 'name' | 'region' | 'keyName'>,
  resources: readonly PolicyResource[],
): IamPolicy {
  const declared = collect(resources);
  const { region, name: site } = config;
  const partition = partitionOf(region);
  const naming = createNaming(config);
  const arn = (service: string, type: string) => {
    // Images and their snapshots belong to no account in their ARN.
    const account = type === 'image' || type === 'snapshot' ? '' : '*';
    const path = service === 'elasticloadbalancing' && type === 'loadbalancer' ? 'loadbalancer/app/*/*' : '';
    return `arn:${partition}:${service}:${region}:${account}:${path || `${type}/*`}`;
  };
  const siteTag = (key: 'RequestTag' | 'ResourceTag') => ({ [`aws:${key}/${TAG_SITE}`]: site });

  const byKind = new Map<ActionScope['kind'] | 'unknown', { action: string; scope?: ActionScope }[]>();
  for (const action of [...declared.keys()].sort()) {
    const scope = scopeOf(action);
    const kind = scope?.kind ?? 'unknown';
    byKind.set(kind, [...(byKind.get(kind) ?? []), { action, scope }]);
    // The site's bucket, role and profile are storage.*'s: another plugin's S3 or IAM call is on its own resources,
    // which site cannot name, so it also goes on "*".
    if (kind === 'site-arn' && declared.get(action)!.some((id) => !id.startsWith(SITE_ARN_OWNER)))
      byKind.set('unknown', [...(byKind.get('unknown') ?? []), { action }]);
  }
  const of = (kind: ActionScope['kind'] | 'unknown', service?: string) =>
    (byKind.get(kind) ?? []).filter(({ action }) => !service || action.startsWith(`${service}:`));
  const services = [...new Set([...declared.keys()].map((action) => action.split(':')[0]!))].sort();
  const statements: PolicyStatement[] = [];
  const add = (statement: PolicyStatement) => {
    if (statement.Action.length > 0) statements.push(statement);
  };

  add({
    Sid: 'LookUpAnythingInTheRegion',
    Effect: 'Allow',
    Action: of('lookup').map((a) => a.action),
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestedRegion': region } },
  });

  // Every service's changes of the site's own resources share one condition: one statement (IAM's 6,144
  // characters a managed policy fit more easily; an action only ever matches its own service's ARNs).
  const createTyped = {
    Sid: 'CreateResourcesOnlyWithTheSiteTag',
    Effect: 'Allow' as const,
    Action: [] as string[],
    Resource: [] as string[],
    Condition: { StringEquals: siteTag('RequestTag') },
  };
  const createAnywhere = {
    ...createTyped,
    Sid: 'CreateOtherResourcesOnlyWithTheSiteTag',
    Action: [] as string[],
    Resource: '*',
  };
  const changeOwned = {
    Sid: 'ChangeResourcesOnlyWithTheSiteTag',
    Effect: 'Allow' as const,
    Action: [] as string[],
    Resource: [] as string[],
    Condition: { StringEquals: siteTag('ResourceTag') },
  };
  for (const service of services) {
    const creates = of('create', service);
    const createTagged = creates.flatMap(({ scope }) => (scope as { tagged: string[] }).tagged);
    // Services whose creates name their resource types share one statement; those that cannot, another on "*".
    const into = createTagged.length > 0 ? createTyped : createAnywhere;
    into.Action.push(...creates.map((a) => a.action));
    for (const t of createTagged)
      if (!createTyped.Resource.includes(arn(service, t))) createTyped.Resource.push(arn(service, t));
    for (const { action, scope } of creates) {
      const uses = (scope as { uses?: string[] }).uses ?? [];
      if (uses.length === 0) continue;
      add({
        Sid: `${action.split(':')[1]}WithExistingResources`,
        Effect: 'Allow',
        Action: [action],
        Resource: uses.map((t) => arn(service, t)),
      });
    }

    // Tags only ride on the site's own creates (site tags at creation, never later): any create it declares
    // (ImportKeyPair creates a key pair too).
    // A security group rule is created, and tagged at creation, by AuthorizeSecurityGroupIngress: counted when a
    // resource that authorizes declares ec2:CreateTags and no create of its own to tag (plugin-domain's 443 rules).
    const resourcesOf = (a: string) => declared.get(a) ?? [];
    const createsOf = (id: string) =>
      [...declared].some(
        ([a, ids]) => ids.includes(id) && /^ec2:(Create(?!Tags)|RunInstances|ImportKeyPair)/.test(a),
      );
    const tagsOwnRules = (a: string) =>
      /^ec2:AuthorizeSecurityGroup(Ingress|Egress)$/.test(a) &&
      resourcesOf(a).some((id) => resourcesOf('ec2:CreateTags').includes(id) && !createsOf(id));
    const createActions = [...declared.keys()]
      .filter((a) => a.startsWith(`${service}:`) && scopeOf(a)?.kind !== 'tag-on-create')
      .filter(
        (a) => scopeOf(a)?.kind === 'create' || /^[^:]+:(Create|RunInstances$)/.test(a) || tagsOwnRules(a),
      )
      .map((a) => a.split(':')[1]!)
      .sort();
    const tagging = of('tag-on-create', service);
    if (createActions.length > 0) {
      add({
        Sid: `Tag${words(service)}ResourcesOnlyWhenCreatingThem`,
        Effect: 'Allow',
        Action: tagging.map((a) => a.action),
        Resource: service === 'ec2' ? `arn:${partition}:ec2:${region}:*:*/*` : '*',
        Condition: {
          StringEquals: { [`${service}:CreateAction`]: createActions, ...siteTag('RequestTag') },
        },
      });
    }

    // AWS checks a rule authorized with tags on the new security-group-rule too (Service Authorization Reference:
    // AuthorizeSecurityGroupIngress, resource types security-group and security-group-rule): only tagged as the site's.
    add({
      Sid: 'AuthorizeRulesOnlyWithTheSiteTag',
      Effect: 'Allow',
      Action: [...declared.keys()].filter((a) => a.startsWith(`${service}:`) && tagsOwnRules(a)),
      Resource: arn(service, 'security-group-rule'),
      Condition: { StringEquals: siteTag('RequestTag') },
    });

    const owned = of('owned', service);
    changeOwned.Action.push(...owned.map((a) => a.action));
    for (const { scope } of owned)
      for (const t of (scope as { types: string[] }).types)
        if (!changeOwned.Resource.includes(arn(service, t))) changeOwned.Resource.push(arn(service, t));

    const elb = (path: string) => `arn:${partition}:elasticloadbalancing:${region}:*:${path}`;
    add({
      Sid: `Change${words(service)}ResourcesOnlyByTheSiteNames`,
      Effect: 'Allow',
      Action: of('named', service).map((a) => a.action),
      Resource: [
        elb(`loadbalancer/app/${naming.loadBalancer}/*`),
        elb(`listener/app/${naming.loadBalancer}/*/*`),
        // The site's listener rules, only when a plugin changes them (plugin-domain's redirect).
        ...(of('named', service).some((a) => /:(Modify|Delete)Rule$/.test(a.action))
          ? [elb(`listener-rule/app/${naming.loadBalancer}/*/*/*`)]
          : []),
        elb(`targetgroup/${naming.targetGroup}/*`),
      ],
    });

    const role = SERVICE_LINKED_ROLES[service];
    if (role && of('service-linked-role').length > 0) {
      add({
        Sid: `CreateThe${words(service)}ServiceLinkedRole`,
        Effect: 'Allow',
        Action: ['iam:CreateServiceLinkedRole'],
        Resource: `arn:${partition}:iam::*:role/aws-service-role/${role.serviceName}/${role.roleName}`,
        Condition: { StringEquals: { 'iam:AWSServiceName': role.serviceName } },
      });
    }
  }

  add(createTyped);
  add(createAnywhere);
  add(changeOwned);

  // S3 and IAM: by the ARN of the site's bucket (any account: the policy is written before credentials are known),
  // its objects, its role and its instance profile.
  const siteArns: Record<string, string> = {
    bucket: `arn:${partition}:s3:::${naming.bucket('????????????', region)}`,
    object: `arn:${partition}:s3:::${naming.bucket('????????????', region)}/*`,
    role: `arn:${partition}:iam::*:role/${naming.instanceRole}`,
    'instance-profile': `arn:${partition}:iam::*:instance-profile/${naming.instanceProfile}`,
  };
  const sids: Record<string, string> = {
    bucket: 'TheSiteBucketOnly',
    object: 'TheSiteBucketObjectsOnly',
    role: 'TheSiteInstanceRoleOnly',
    'instance-profile': 'TheSiteInstanceProfileOnly',
  };
  for (const target of Object.keys(siteArns)) {
    add({
      Sid: sids[target]!,
      Effect: 'Allow',
      Action: of('site-arn')
        .filter(({ scope }) => (scope as { target: string }).target === target)
        .filter(({ action }) => declared.get(action)!.some((id) => id.startsWith(SITE_ARN_OWNER)))
        .map((a) => a.action),
      Resource: siteArns[target]!,
    });
  }

  add({
    Sid: 'OtherPluginActionsSiteCannotNarrow',
    Effect: 'Allow',
    Action: of('unknown').map((a) => a.action),
    Resource: '*',
  });

  const policy: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  const size = policySize(policy);
  return {
    site,
    region,
    policy,
    size,
    ...(size > MANAGED_POLICY_MAX ? { parts: splitPolicy(statements) } : {}),
    actions: [...declared]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([action, ids]) => ({ action, resources: ids })),
  };
}

/**
 * A customer managed policy holds at most 6,144 characters, whitespace not counted (IAM User Guide, "IAM and AWS
 * STS quotas"); a user or role takes up to 10 managed policies by default.
 */
export const MANAGED_POLICY_MAX = 6144;

/** The size IAM counts: the JSON document without whitespace outside strings. */
export function policySize(policy: PolicyDocument): number {
  return JSON.stringify(policy).replace(/\s+/g, '').length;
}

const fits = (statements: PolicyStatement[]) =>
  policySize({ Version: '2012-10-17', Statement: statements }) <= MANAGED_POLICY_MAX;

/** A statement too large for a document alone, as statements of fewer actions each (Sids numbered). */
function splitStatement(statement: PolicyStatement): PolicyStatement[] {
  if (fits([statement]) || statement.Action.length < 2) return [statement];
  const half = Math.ceil(statement.Action.length / 2);
  return [
    ...splitStatement({ ...statement, Sid: `${statement.Sid}1`, Action: statement.Action.slice(0, half) }),
    ...splitStatement({ ...statement, Sid: `${statement.Sid}2`, Action: statement.Action.slice(half) }),
  ];
}

/** Statements packed in order into documents of at most MANAGED_POLICY_MAX characters each. */
function splitPolicy(statements: readonly PolicyStatement[]): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  let current: PolicyStatement[] = [];
  for (const statement of statements.flatMap(splitStatement)) {
    const candidate = [...current, statement];
    if (
      current.length > 0 &&
      policySize({ Version: '2012-10-17', Statement: candidate }) > MANAGED_POLICY_MAX
    ) {
      parts.push({ Version: '2012-10-17', Statement: current });
      current = [statement];
    } else current = candidate;
  }
  if (current.length > 0) parts.push({ Version: '2012-10-17', Statement: current });
  return parts;
}
