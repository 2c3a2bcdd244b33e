import type { CallRecord } from '@site-cli/aws-sim';
import type { PolicyDocument, PolicyStatement } from '@site-cli/core';

/**
 * A small model of how IAM authorizes the calls site makes, to hold the generated policy against the
 * simulator's call log: which IAM actions a call needs (its own, plus the tagging action AWS checks when a
 * create tags at creation), on which resource ARNs (the resource types the Service Authorization Reference
 * lists for the action), with which condition keys. It knows only the actions site uses: an unknown one
 * fails the test, so teaching it is a conscious step.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export interface IamRequest {
  /** The API call it comes from, for messages. */
  call: string;
  action: string;
  /** '*' for actions without resource-level permissions. */
  resources: { arn: string; tags: Record<string, string> }[];
  context: Record<string, string>;
}

type Tags = Record<string, Record<string, string>>;
type Params = Record<string, any>;

const ec2Arn = (type: string, id: string) =>
  `arn:aws:ec2:${REGION}:${type === 'image' || type === 'snapshot' ? '' : ACCOUNT}:${type}/${id}`;

function requestTags(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
}

/** What else a call's IAM check depends on beyond its parameters. */
export interface IamCallContext {
  /** Launch template names by id (calls may name a template either way; IAM sees its id's ARN and tags). */
  launchTemplateIds?: Record<string, string>;
  /**
   * The call is the account's first CreateAutoScalingGroup: Auto Scaling creates its service-linked role then,
   * as the caller (iam:CreateServiceLinkedRole with iam:AWSServiceName).
   */
  createsServiceLinkedRole?: boolean;
}

const SERVICE_PREFIX: Record<string, string> = {
  ec2: 'ec2',
  elbv2: 'elasticloadbalancing',
  autoscaling: 'autoscaling',
};

/** The IAM requests behind one API call. */
export function iamRequests(call: CallRecord, tags: Tags, more: IamCallContext = {}): IamRequest[] {
  // sts:GetCallerIdentity needs no permission, and a Deny does not stop it (the STS API reference).
  if (call.service === 'sts' && call.action === 'GetCallerIdentity') return [];
  const p = (call.params ?? {}) as Params;
  if (call.service === 'acm' || call.service === 'route53') return globalOrAcm(call, p, tags);
  const service = SERVICE_PREFIX[call.service] ?? call.service;
  const action = `${service}:${call.action}`;
  const name = `${call.service}:${call.action}${p.DryRun ? ' (DryRun)' : ''}`;
  const base = { 'aws:RequestedRegion': REGION };
  const existing = (arn: string, id = arn) => ({ arn, tags: tags[id] ?? {} });
  const created = (arn: string) => ({ arn, tags: {} });
  const request = (resources: IamRequest['resources'], context: Record<string, string> = {}): IamRequest => ({
    call: name,
    action,
    resources,
    context: { ...base, ...context },
  });

  if (call.action.startsWith('Describe')) return [request([{ arn: '*', tags: {} }])];

  if (call.service === 'ec2') {
    const specTags = ((p.TagSpecifications ?? []) as { Tags?: [] }[]).flatMap((s) => s.Tags ?? []);
    const onCreate = (resources: IamRequest['resources'], mine: IamRequest): IamRequest[] =>
      specTags.length === 0
        ? [mine]
        : [
            mine,
            {
              call: name,
              action: 'ec2:CreateTags',
              resources,
              context: { ...base, ...requestTags(specTags), 'ec2:CreateAction': call.action },
            },
          ];
    switch (call.action) {
      case 'RunInstances': {
        const made = [created(ec2Arn('instance', 'i-new')), created(ec2Arn('volume', 'vol-new'))];
        const used = [
          existing(ec2Arn('image', p.ImageId), p.ImageId),
          existing(ec2Arn('snapshot', 'snap-of-the-image')),
          existing(ec2Arn('subnet', p.SubnetId), p.SubnetId),
          created(ec2Arn('network-interface', 'eni-new')),
          ...((p.SecurityGroupIds ?? []) as string[]).map((id) => existing(ec2Arn('security-group', id), id)),
          ...(p.KeyName ? [existing(ec2Arn('key-pair', p.KeyName))] : []),
        ];
        return onCreate(made, request([...made, ...used], requestTags(specTags)));
      }
      case 'CreateSecurityGroup': {
        const made = [created(ec2Arn('security-group', 'sg-new'))];
        const vpc = existing(ec2Arn('vpc', p.VpcId), p.VpcId);
        return onCreate(made, request([...made, vpc], requestTags(specTags)));
      }
      case 'ImportKeyPair':
      case 'CreateKeyPair': {
        const made = [created(ec2Arn('key-pair', p.KeyName))];
        return onCreate(made, request(made, requestTags(specTags)));
      }
      case 'TerminateInstances':
        return [request((p.InstanceIds as string[]).map((id) => existing(ec2Arn('instance', id), id)))];
      case 'GetConsoleOutput':
        return [request([existing(ec2Arn('instance', p.InstanceId), p.InstanceId)])];
      case 'AuthorizeSecurityGroupIngress': {
        // Rules tagged at creation (plugin-domain's 443): a security-group-rule is created and tagged.
        const group = existing(ec2Arn('security-group', p.GroupId), p.GroupId);
        if (specTags.length === 0) return [request([group])];
        const made = [created(ec2Arn('security-group-rule', 'sgr-new'))];
        return onCreate(made, request([group, ...made], requestTags(specTags)));
      }
      case 'RevokeSecurityGroupIngress':
      case 'DeleteSecurityGroup':
        return [request([existing(ec2Arn('security-group', p.GroupId), p.GroupId)])];
      case 'DeleteKeyPair':
        return [request([existing(ec2Arn('key-pair', p.KeyName ?? p.KeyPairId), p.KeyPairId ?? p.KeyName)])];
      case 'CreateLaunchTemplate': {
        const made = [created(ec2Arn('launch-template', 'lt-new'))];
        return onCreate(made, request(made, requestTags(specTags)));
      }
      case 'CreateLaunchTemplateVersion':
      case 'ModifyLaunchTemplate':
      case 'DeleteLaunchTemplate':
      case 'DeleteLaunchTemplateVersions': {
        const id =
          p.LaunchTemplateId ?? more.launchTemplateIds?.[p.LaunchTemplateName] ?? p.LaunchTemplateName;
        return [request([existing(ec2Arn('launch-template', id), id)])];
      }
    }
  } else if (call.service === 'autoscaling') {
    // Service Authorization Reference, Amazon EC2 Auto Scaling: the group ARN, aws:ResourceTag of the group,
    // aws:RequestTag of the tags a call sets; launching from a launch template also asks ec2:RunInstances on it.
    const groupArn = (uuid: string) =>
      `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${uuid}:autoScalingGroupName/${p.AutoScalingGroupName}`;
    const group = existing(groupArn('*'), p.AutoScalingGroupName);
    const fromTemplate = (): IamRequest[] => {
      const id = p.LaunchTemplate?.LaunchTemplateId;
      if (!id) return [];
      return [
        {
          call: name,
          action: 'ec2:RunInstances',
          resources: [existing(ec2Arn('launch-template', id), id)],
          context: { ...base },
        },
      ];
    };
    switch (call.action) {
      case 'CreateAutoScalingGroup': {
        const made = [created(groupArn('new'))];
        const requests = [request(made, requestTags(p.Tags)), ...fromTemplate()];
        if ((p.Tags ?? []).length > 0)
          requests.push({
            call: name,
            action: 'autoscaling:CreateOrUpdateTags',
            resources: made,
            context: { ...base, ...requestTags(p.Tags) },
          });
        if (more.createsServiceLinkedRole)
          requests.push({
            call: name,
            action: 'iam:CreateServiceLinkedRole',
            resources: [
              created(
                `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
              ),
            ],
            context: { ...base, 'iam:AWSServiceName': 'autoscaling.amazonaws.com' },
          });
        return requests;
      }
      case 'UpdateAutoScalingGroup':
        return [request([group]), ...fromTemplate()];
      case 'AttachLoadBalancerTargetGroups':
      case 'DeleteAutoScalingGroup':
      case 'SetDesiredCapacity':
      case 'StartInstanceRefresh':
      case 'PutScalingPolicy':
      case 'DeletePolicy':
        return [request([group])];
    }
  } else {
    const lbArn = (arn: string) => arn;
    const targetGroupsOf = (actions: any[] | undefined) =>
      (actions ?? []).flatMap((a) => [
        ...(a.TargetGroupArn ? [a.TargetGroupArn as string] : []),
        ...((a.ForwardConfig?.TargetGroups ?? []) as any[]).map((t) => t.TargetGroupArn as string),
      ]);
    const onCreate = (resources: IamRequest['resources'], mine: IamRequest): IamRequest[] =>
      (p.Tags ?? []).length === 0
        ? [mine]
        : [
            mine,
            {
              call: name,
              action: 'elasticloadbalancing:AddTags',
              resources,
              context: {
                ...base,
                ...requestTags(p.Tags),
                'elasticloadbalancing:CreateAction': call.action,
              },
            },
          ];
    const elb = (path: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${path}`;
    switch (call.action) {
      case 'CreateLoadBalancer': {
        const made = [created(elb(`loadbalancer/app/${p.Name}/new`))];
        return onCreate(made, request(made, requestTags(p.Tags)));
      }
      case 'CreateTargetGroup': {
        const made = [created(elb(`targetgroup/${p.Name}/new`))];
        return onCreate(made, request(made, requestTags(p.Tags)));
      }
      case 'CreateListener': {
        const made = [created(`${String(p.LoadBalancerArn).replace(':loadbalancer/', ':listener/')}/new`)];
        const used = [
          existing(lbArn(p.LoadBalancerArn)),
          ...targetGroupsOf(p.DefaultActions).map((arn) => existing(arn)),
        ];
        return onCreate(made, request([...made, ...used], requestTags(p.Tags)));
      }
      case 'CreateRule': {
        const made = [created(`${String(p.ListenerArn).replace(':listener/', ':listener-rule/')}/new`)];
        const used = [existing(p.ListenerArn), ...targetGroupsOf(p.Actions).map((arn) => existing(arn))];
        return onCreate(made, request([...made, ...used], requestTags(p.Tags)));
      }
      case 'ModifyRule':
      case 'DeleteRule':
        return [request([existing(p.RuleArn), ...targetGroupsOf(p.Actions).map((arn) => existing(arn))])];
      case 'ModifyListener':
      case 'DeleteListener':
        return [
          request([existing(p.ListenerArn), ...targetGroupsOf(p.DefaultActions).map((arn) => existing(arn))]),
        ];
      case 'DeleteLoadBalancer':
        return [request([existing(p.LoadBalancerArn)])];
      case 'ModifyTargetGroup':
      case 'ModifyTargetGroupAttributes':
      case 'DeleteTargetGroup':
      case 'RegisterTargets':
      case 'DeregisterTargets':
        return [request([existing(p.TargetGroupArn)])];
    }
  }
  throw new Error(`iam-check does not know how AWS authorizes ${name}: teach it (test/iam-check.ts).`);
}

/**
 * ACM (certificate ARNs; a request with tags also needs acm:AddTagsToCertificate, ACM User Guide "Tagging
 * certificates") and Route 53 (global: hosted zone and change ARNs, no region or account in them).
 */
function globalOrAcm(call: CallRecord, p: Params, tags: Tags): IamRequest[] {
  const action = `${call.service}:${call.action}`;
  const request = (a: string, resources: IamRequest['resources'], context: Record<string, string> = {}) => ({
    call: action,
    action: a,
    resources,
    context: { 'aws:RequestedRegion': REGION, ...context },
  });
  const any = [{ arn: '*', tags: {} }];
  if (call.service === 'route53') {
    const zone = (id: string) => `arn:aws:route53:::hostedzone/${String(id).replace(/^\/?hostedzone\//, '')}`;
    switch (call.action) {
      case 'ListHostedZonesByName':
        return [request(action, any)];
      case 'ListResourceRecordSets':
      case 'ChangeResourceRecordSets':
        return [request(action, [{ arn: zone(p.HostedZoneId), tags: {} }])];
      case 'GetChange':
        return [
          request(action, [
            { arn: `arn:aws:route53:::change/${String(p.Id).replace(/^\/?change\//, '')}`, tags: {} },
          ]),
        ];
    }
  } else {
    const certificate = (arn: string) => [{ arn, tags: tags[arn] ?? {} }];
    switch (call.action) {
      case 'ListCertificates':
      case 'DescribeCertificate':
      case 'ListTagsForCertificate':
        return [request(action, any)];
      case 'RequestCertificate': {
        const made = [{ arn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/new`, tags: {} }];
        const context = requestTags(p.Tags);
        return [
          request(action, made, context),
          ...((p.Tags ?? []).length > 0 ? [request('acm:AddTagsToCertificate', made, context)] : []),
        ];
      }
      case 'AddTagsToCertificate':
      case 'DeleteCertificate':
        return [request(action, certificate(p.CertificateArn))];
    }
  }
  throw new Error(`iam-check does not know how AWS authorizes ${action}: teach it (test/iam-check.ts).`);
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

function conditionsHold(
  statement: PolicyStatement,
  request: IamRequest,
  tags: Record<string, string>,
): boolean {
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    if (operator !== 'StringEquals') return false; // unknown operator: deny, as a careful reader would
    for (const [key, wanted] of Object.entries(entries)) {
      const actual = key.startsWith('aws:ResourceTag/')
        ? tags[key.slice('aws:ResourceTag/'.length)]
        : request.context[key];
      if (actual === undefined || !(Array.isArray(wanted) ? wanted : [wanted]).includes(actual)) return false;
    }
  }
  return true;
}

/** Why the policy denies the request (the resource no statement allows), or undefined when it allows it. */
export function denial(policy: PolicyDocument, request: IamRequest): string | undefined {
  for (const resource of request.resources) {
    const allowed = policy.Statement.some((statement) => {
      if (!statement.Action.some((a) => glob(a).test(request.action))) return false;
      const patterns = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      if (
        !patterns.some(
          (pattern) => pattern === '*' || (resource.arn !== '*' && glob(pattern).test(resource.arn)),
        )
      )
        return false;
      return conditionsHold(statement, request, resource.tags);
    });
    if (!allowed)
      return `${request.call}: ${request.action} on ${resource.arn} (tags ${JSON.stringify(resource.tags)}, context ${JSON.stringify(request.context)})`;
  }
  return undefined;
}
