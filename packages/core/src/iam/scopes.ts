/**
 * How far each IAM action a resource declares can be narrowed, as AWS documents it. Conservative on
 * purpose: an action is tag-conditioned only where AWS documents (and its own AWS Load Balancer Controller
 * policy relies on) the condition key for it; where we are unsure, it is narrowed by the site's resource
 * names in the ARN (which always works for existing resources) or left on "*". A policy that is a little
 * wider is better than one that breaks a deploy halfway.
 *
 * Sources: EC2 User Guide "Grant permission to tag Amazon EC2 resources during creation" (ec2:CreateAction)
 * and "Control access to EC2 resources using resource tags" (Describe* has no resource-level permissions);
 * ELB User Guide "Elastic Load Balancing API permissions to tag resources during creation"
 * (elasticloadbalancing:CreateAction); the IAM User Guide's security-group example (aws:ResourceTag on
 * Authorize/RevokeSecurityGroupIngress); AWS's aws-load-balancer-controller iam_policy.json (aws:RequestTag on
 * CreateLoadBalancer / CreateTargetGroup; aws:ResourceTag on DeleteLoadBalancer, ModifyTargetGroup,
 * ModifyTargetGroupAttributes, DeleteTargetGroup; listener actions and Register/DeregisterTargets unconditioned;
 * iam:CreateServiceLinkedRole for the first load balancer of an account).
 */

/** A resource type as it appears in ARNs: 'instance', 'security-group', 'loadbalancer', 'targetgroup'. */
export type ResourceType = string;

export type ActionScope =
  /** No resource-level permissions (Describe*): Resource "*", limited to the site's region. */
  | { kind: 'lookup' }
  /**
   * Creates resources tagged at creation: the `tagged` types only with aws:RequestTag/site:name; the
   * existing resources the call also uses (`uses`) without conditions. `tagged: []` means Resource "*".
   */
  | { kind: 'create'; tagged: ResourceType[]; uses?: ResourceType[] }
  /** ec2:CreateTags / elasticloadbalancing:AddTags: only as part of the site's own creates. */
  | { kind: 'tag-on-create' }
  /** Acts on existing resources: only those carrying aws:ResourceTag/site:name. */
  | { kind: 'owned'; types: ResourceType[] }
  /** Acts on existing load-balancing resources: only those named after the site (by ARN). */
  | { kind: 'named' }
  /** iam:CreateServiceLinkedRole: only the role of a service the policy uses. */
  | { kind: 'service-linked-role' }
  /**
   * Acts on one resource of the site named in its ARN: the site's bucket, its objects, its instance role or
   * profile (S3 and IAM name their resources in ARNs; neither takes the site's tags as a condition on every call).
   */
  | { kind: 'site-arn'; target: 'bucket' | 'object' | 'role' | 'instance-profile' };

export const SERVICE_LINKED_ROLES: Record<string, { serviceName: string; roleName: string }> = {
  elasticloadbalancing: {
    serviceName: 'elasticloadbalancing.amazonaws.com',
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
  },
  // Created by the first CreateAutoScalingGroup of an account (EC2 Auto Scaling User Guide, "Service-linked roles").
  autoscaling: {
    serviceName: 'autoscaling.amazonaws.com',
    roleName: 'AWSServiceRoleForAutoScaling',
  },
};

/** An Auto Scaling group's ARN after the account: 'autoScalingGroup:<uuid>:autoScalingGroupName/<name>'. */
const AUTO_SCALING_GROUP = 'autoScalingGroup:*:autoScalingGroupName';

const KNOWN: Record<string, ActionScope> = {
  'ec2:RunInstances': {
    kind: 'create',
    tagged: ['instance', 'volume'],
    // The network interface is created too but not tagged by site; images and their snapshots are Amazon's.
    // An Auto Scaling group launches from the site's launch template as the caller.
    uses: [
      'image',
      'snapshot',
      'subnet',
      'security-group',
      'key-pair',
      'network-interface',
      'launch-template',
    ],
  },
  'ec2:CreateLaunchTemplate': { kind: 'create', tagged: ['launch-template'] },
  'ec2:CreateLaunchTemplateVersion': { kind: 'owned', types: ['launch-template'] },
  'ec2:DeleteLaunchTemplate': { kind: 'owned', types: ['launch-template'] },
  // Auto Scaling: aws:RequestTag on the creating calls, aws:ResourceTag on the group's own (EC2 Auto Scaling
  // User Guide, "Control access with tags"); groups' ARNs hold a generated id, hence the wildcard.
  'autoscaling:CreateAutoScalingGroup': { kind: 'create', tagged: [] },
  'autoscaling:CreateOrUpdateTags': { kind: 'create', tagged: [] },
  'autoscaling:UpdateAutoScalingGroup': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:SetDesiredCapacity': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:AttachLoadBalancerTargetGroups': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:StartInstanceRefresh': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:PutScalingPolicy': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:DeletePolicy': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'autoscaling:DeleteAutoScalingGroup': { kind: 'owned', types: [AUTO_SCALING_GROUP] },
  'ec2:CreateSecurityGroup': { kind: 'create', tagged: ['security-group'], uses: ['vpc'] },
  // Both take TagSpecifications and, per the Service Authorization Reference, aws:RequestTag on key-pair.
  'ec2:ImportKeyPair': { kind: 'create', tagged: ['key-pair'] },
  'ec2:CreateKeyPair': { kind: 'create', tagged: ['key-pair'] },
  'ec2:CreateTags': { kind: 'tag-on-create' },
  'ec2:TerminateInstances': { kind: 'owned', types: ['instance'] },
  // Resource-level (instance, aws:ResourceTag) per the Service Authorization Reference: the site's own only.
  'ec2:GetConsoleOutput': { kind: 'owned', types: ['instance'] },
  'ec2:AuthorizeSecurityGroupIngress': { kind: 'owned', types: ['security-group'] },
  'ec2:RevokeSecurityGroupIngress': { kind: 'owned', types: ['security-group'] },
  'ec2:DeleteSecurityGroup': { kind: 'owned', types: ['security-group'] },
  'ec2:DeleteKeyPair': { kind: 'owned', types: ['key-pair'] },
  'elasticloadbalancing:CreateLoadBalancer': { kind: 'create', tagged: [] },
  'elasticloadbalancing:CreateTargetGroup': { kind: 'create', tagged: [] },
  'elasticloadbalancing:AddTags': { kind: 'tag-on-create' },
  'elasticloadbalancing:DeleteLoadBalancer': { kind: 'owned', types: ['loadbalancer'] },
  'elasticloadbalancing:ModifyTargetGroup': { kind: 'owned', types: ['targetgroup'] },
  'elasticloadbalancing:ModifyTargetGroupAttributes': { kind: 'owned', types: ['targetgroup'] },
  'elasticloadbalancing:DeleteTargetGroup': { kind: 'owned', types: ['targetgroup'] },
  'elasticloadbalancing:CreateListener': { kind: 'named' },
  'elasticloadbalancing:ModifyListener': { kind: 'named' },
  'elasticloadbalancing:DeleteListener': { kind: 'named' },
  'elasticloadbalancing:RegisterTargets': { kind: 'named' },
  // Listener rules (plugin-domain's redirect): CreateRule on the site's listener, Modify/DeleteRule on its rules.
  'elasticloadbalancing:CreateRule': { kind: 'named' },
  'elasticloadbalancing:ModifyRule': { kind: 'named' },
  'elasticloadbalancing:DeleteRule': { kind: 'named' },
  'elasticloadbalancing:DeregisterTargets': { kind: 'named' },
  'iam:CreateServiceLinkedRole': { kind: 'service-linked-role' },
  // S3 (Service Authorization Reference, Amazon S3): bucket-level actions take the bucket ARN, object-level ones
  // the object ARN (HeadObject is s3:GetObject, HeadBucket s3:ListBucket, DeleteObjects s3:DeleteObject per key).
  ...Object.fromEntries(
    [
      's3:CreateBucket',
      's3:DeleteBucket',
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:GetBucketTagging',
      's3:PutBucketTagging',
      's3:PutBucketPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      's3:PutBucketOwnershipControls',
      's3:PutEncryptionConfiguration',
      's3:GetEncryptionConfiguration',
      's3:PutLifecycleConfiguration',
    ].map((action) => [action, { kind: 'site-arn', target: 'bucket' } as const]),
  ),
  ...Object.fromEntries(
    ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'].map((action) => [
      action,
      { kind: 'site-arn', target: 'object' } as const,
    ]),
  ),
  // IAM (Service Authorization Reference, IAM): role actions take the role ARN, profile actions the profile's;
  // iam:PassRole (RunInstances with the profile, AddRoleToInstanceProfile) only for the site's own role.
  ...Object.fromEntries(
    [
      'iam:GetRole',
      'iam:CreateRole',
      'iam:TagRole',
      'iam:DeleteRole',
      'iam:GetRolePolicy',
      'iam:PutRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:ListRolePolicies',
      'iam:PassRole',
    ].map((action) => [action, { kind: 'site-arn', target: 'role' } as const]),
  ),
  ...Object.fromEntries(
    [
      'iam:GetInstanceProfile',
      'iam:CreateInstanceProfile',
      'iam:TagInstanceProfile',
      'iam:AddRoleToInstanceProfile',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:DeleteInstanceProfile',
    ].map((action) => [action, { kind: 'site-arn', target: 'instance-profile' } as const]),
  ),
  // ACM (Service Authorization Reference, "Actions defined by AWS Certificate Manager"): RequestCertificate and
  // AddTagsToCertificate take aws:RequestTag, DeleteCertificate aws:ResourceTag on the certificate. The look-ups
  // also read certificates that are not the site's (the user's domain.certificateArn, another certificate
  // sharing a validation record), so they stay on "*" in the site's region.
  'acm:RequestCertificate': { kind: 'create', tagged: ['certificate'] },
  'acm:AddTagsToCertificate': { kind: 'create', tagged: ['certificate'] },
  'acm:DeleteCertificate': { kind: 'owned', types: ['certificate'] },
  'acm:ListCertificates': { kind: 'lookup' },
  'acm:DescribeCertificate': { kind: 'lookup' },
  'acm:ListTagsForCertificate': { kind: 'lookup' },
  // Route 53 is global: its calls are signed for us-east-1, so the region-bound look-up statement would refuse
  // them outside us-east-1, and the zone's id is not known without a call. Its actions stay on "*".
};

/** The scope of `action`, or undefined when site knows nothing about it (it then goes on Resource "*"). */
export function scopeOf(action: string): ActionScope | undefined {
  const known = KNOWN[action];
  if (known) return known;
  const [service, name = ''] = action.split(':');
  if (
    (service === 'ec2' || service === 'elasticloadbalancing' || service === 'autoscaling') &&
    name.startsWith('Describe')
  )
    return { kind: 'lookup' };
  return undefined;
}

/** An IAM action as policies spell it: 'ec2:RunInstances'. */
export const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
