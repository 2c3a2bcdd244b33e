import { AWS_MODEL_LIMITS } from './aws-limits.js';

/**
 * Every limit AWS publishes for a value `site` sends, checked by the configuration schema before the first
 * create. Where AWS's API model carries the limit it comes from aws-limits.ts (generated from the model);
 * the rest are from AWS's documentation, each with its source beside it.
 */

const model = AWS_MODEL_LIMITS;

// --- Names -------------------------------------------------------------------------------------------
/**
 * Load balancer and target group names: at most 32 characters, letters, digits and hyphens, not starting
 * or ending with a hyphen (botocore elbv2 model, CreateLoadBalancerInput.Name and CreateTargetGroupInput.Name).
 */
export const ELB_NAME_MAX = 32;
/** A load balancer name must not begin with "internal-" (botocore elbv2 model, CreateLoadBalancerInput.Name). */
export const LOAD_BALANCER_NAME_FORBIDDEN_PREFIX = 'internal-';
/** Security group names: up to 255 characters, cannot start with "sg-" (botocore ec2 model, CreateSecurityGroupRequest.GroupName). */
export const SECURITY_GROUP_NAME_MAX = 255;
export const SECURITY_GROUP_NAME_FORBIDDEN_PREFIX = 'sg-';
/** Key pair names: up to 255 ASCII characters (botocore ec2 model, CreateKeyPairRequest.KeyName). */
export const KEY_PAIR_NAME_MAX = 255;
/** The longest suffix site adds to the site name for an ELB name ('-alb'): the site name keeps the rest. */
export const SITE_NAME_MAX = ELB_NAME_MAX - '-alb'.length;

// --- Tags --------------------------------------------------------------------------------------------
/**
 * 50 tags per resource (EC2 User Guide "Tag restrictions"; ELB User Guide "Tag an Application Load Balancer"
 * and "Tag a target group"), site's own tags included: tags.ts says how many of them site keeps for itself.
 */
export const TAGS_PER_RESOURCE_MAX = 50;
/**
 * Key 1..128 and value 0..256 in the elbv2 model (Tag.Key, Tag.Value), but the ELB User Guide says 127 and
 * 255 Unicode characters: the stricter holds, as every tag also goes on the load balancer and target group.
 */
export const TAG_KEY_MAX = Math.min(model['elbv2.Tag.Key'].max, 127);
export const TAG_VALUE_MAX = Math.min(model['elbv2.Tag.Value'].max, 255);
/** Letters, digits, spaces and + - = . _ : / @ (elbv2 model pattern of TagKey and TagValue; needs the u flag). */
export const TAG_KEY_PATTERN = new RegExp(model['elbv2.Tag.Key'].pattern, 'u');
export const TAG_VALUE_PATTERN = new RegExp(model['elbv2.Tag.Value'].pattern, 'u');
/** "Do not use leading or trailing spaces" (ELB User Guide, tag restrictions). */
export const TAG_SURROUNDING_SPACE = /^\s|\s$/u;
/** "aws:, AWS:, or any upper or lowercase combination" is reserved for AWS (EC2 User Guide, tag restrictions). */
export const AWS_RESERVED_TAG_PREFIX = /^aws:/i;

// --- Target group health check ---------------------------------------------------------------------
/** 1..1024 characters (elbv2 model, Path). */
export const HEALTH_CHECK_PATH = model['elbv2.CreateTargetGroupInput.HealthCheckPath'];
/**
 * AWS answers ValidationError "Health check must begin with a '/' and can only consist of the characters:
 * a-z, A-Z, 0-9, and @:%_+.~#?&/=" (quoted in apollographql/router#1852); '-' is URL-unreserved and accepted.
 */
export const HEALTH_CHECK_PATH_PATTERN = /^\/[A-Za-z0-9@:%_+.~#?&/=-]*$/;
/** Seconds, 5..300 (elbv2 model, HealthCheckIntervalSeconds). */
export const HEALTH_CHECK_INTERVAL = model['elbv2.CreateTargetGroupInput.HealthCheckIntervalSeconds'];
/**
 * Seconds, 2..120 (elbv2 model, HealthCheckTimeoutSeconds), and less than the interval: AWS refuses
 * CreateTargetGroup with ValidationError "Health check interval must be greater than the timeout." (quoted in
 * hashicorp/terraform-provider-aws#48071 and kubernetes-sigs/aws-load-balancer-controller#2951).
 */
export const HEALTH_CHECK_TIMEOUT = model['elbv2.CreateTargetGroupInput.HealthCheckTimeoutSeconds'];
/** 2..10 (elbv2 model, HealthCheckThresholdCount). */
export const HEALTH_CHECK_THRESHOLD = model['elbv2.CreateTargetGroupInput.HealthyThresholdCount'];
/**
 * For Application Load Balancers, codes between 200 and 499, several ("200,202") or a range ("200-299")
 * (elbv2 model documentation of Matcher.HttpCode).
 */
export const MATCHER_CODE_MIN = 200;
export const MATCHER_CODE_MAX = 499;

// --- Listener and target group ------------------------------------------------------------------------
/** 1..65535 (elbv2 model, CreateListenerInput.Port). */
export const LISTENER_PORT = model['elbv2.CreateListenerInput.Port'];
/** deregistration_delay.timeout_seconds: 0..3600 (elbv2 model documentation of TargetGroupAttribute.Key). */
export const DEREGISTRATION_DELAY = { min: 0, max: 3600 } as const;

// --- Instances ----------------------------------------------------------------------------------------
/**
 * gp3 volumes take 1..16384 GiB (ec2 model documentation of EbsBlockDevice.VolumeSize), and no less than the
 * image's snapshot: Amazon Linux 2023's is 8 GiB.
 */
export const VOLUME_SIZE = { min: 8, max: 16_384 } as const;

/**
 * instance.scaling min / desired / max. At least one instance (a group at 0 serves nothing); at most 20, as
 * instance.count: a new account's On-Demand vCPU quota (32 for standard types) runs about that many small ones.
 */
export const SCALING_SIZE = { min: 1, max: 20 } as const;
/**
 * "User data is limited to 16 KB, in raw form, before it is base64-encoded" (EC2 User Guide, "Work with
 * instance user data"): bytes of the file as sent.
 */
export const USER_DATA_MAX_BYTES = 16 * 1024;
/**
 * What cloud-init acts on: a script (#!), cloud-config, an include list, a boothook, a part handler, a jinja
 * template or a MIME multi-part archive (cloud-init docs, "User-Data Formats"); anything else is ignored
 * silently and the instance never serves the site.
 */
export const USER_DATA_HEADERS = [
  '#!',
  '#cloud-config',
  '#include',
  '#cloud-boothook',
  '#part-handler',
  '#upstart-job',
  '## template: jinja',
  'Content-Type: multipart/',
] as const;
