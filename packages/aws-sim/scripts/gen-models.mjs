// Extracts the shapes aws-sim needs from the botocore API models shipped with Debian's awscli
// into src/protocol/models/*.ts, so the simulator's wire names come from the official models.
// Usage: node scripts/gen-models.mjs [/usr/lib/python3/dist-packages/awscli/botocore/data]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = process.argv[2] ?? '/usr/lib/python3/dist-packages/awscli/botocore/data';
const here = dirname(fileURLToPath(import.meta.url));
const services = {
  ec2: {
    file: 'ec2/2016-11-15/service-2.json',
    actions: [
      'DescribeVpcs',
      'DescribeSubnets',
      'DescribeAvailabilityZones',
      'DescribeImages',
      'CreateKeyPair',
      'ImportKeyPair',
      'DescribeKeyPairs',
      'DeleteKeyPair',
      'CreateSecurityGroup',
      'DescribeSecurityGroups',
      'AuthorizeSecurityGroupIngress',
      'RevokeSecurityGroupIngress',
      'DescribeSecurityGroupRules',
      'DeleteSecurityGroup',
      'RunInstances',
      'DescribeInstances',
      'DescribeInstanceStatus',
      'GetConsoleOutput',
      'DescribeInstanceTypeOfferings',
      'TerminateInstances',
      'CreateTags',
      'DeleteTags',
      'DescribeTags',
    ],
  },
  elbv2: {
    file: 'elbv2/2015-12-01/service-2.json',
    actions: [
      'CreateTargetGroup',
      'DescribeTargetGroups',
      'ModifyTargetGroup',
      'DeleteTargetGroup',
      'RegisterTargets',
      'DeregisterTargets',
      'DescribeTargetHealth',
      'CreateLoadBalancer',
      'DescribeLoadBalancers',
      'DescribeLoadBalancerAttributes',
      'ModifyLoadBalancerAttributes',
      'DeleteLoadBalancer',
      'CreateListener',
      'DescribeListeners',
      'ModifyListener',
      'DeleteListener',
      'DescribeSSLPolicies',
      'AddTags',
      'RemoveTags',
      'DescribeTags',
      'DescribeTargetGroupAttributes',
      'ModifyTargetGroupAttributes',
      'DescribeAccountLimits',
    ],
  },
  sts: {
    file: 'sts/2011-06-15/service-2.json',
    actions: ['GetCallerIdentity'],
  },
  s3: {
    file: 's3/2006-03-01/service-2.json',
    actions: [
      'ListBuckets',
      'CreateBucket',
      'HeadBucket',
      'GetBucketLocation',
      'DeleteBucket',
      'PutPublicAccessBlock',
      'GetPublicAccessBlock',
      'DeletePublicAccessBlock',
      'PutBucketEncryption',
      'GetBucketEncryption',
      'PutBucketVersioning',
      'GetBucketVersioning',
      'PutBucketLifecycleConfiguration',
      'GetBucketLifecycleConfiguration',
      'DeleteBucketLifecycle',
      'PutBucketTagging',
      'GetBucketTagging',
      'DeleteBucketTagging',
      'PutBucketPolicy',
      'GetBucketPolicy',
      'DeleteBucketPolicy',
      'GetBucketPolicyStatus',
      'PutObject',
      'GetObject',
      'HeadObject',
      'DeleteObject',
      'DeleteObjects',
      'CopyObject',
      'ListObjectsV2',
      'ListObjectVersions',
      'CreateMultipartUpload',
      'UploadPart',
      'CompleteMultipartUpload',
      'AbortMultipartUpload',
    ],
  },
  iam: {
    file: 'iam/2010-05-08/service-2.json',
    constraints: true,
    actions: [
      'CreateRole',
      'GetRole',
      'DeleteRole',
      'TagRole',
      'UntagRole',
      'ListRoleTags',
      'PutRolePolicy',
      'GetRolePolicy',
      'ListRolePolicies',
      'DeleteRolePolicy',
      'CreateInstanceProfile',
      'GetInstanceProfile',
      'DeleteInstanceProfile',
      'AddRoleToInstanceProfile',
      'RemoveRoleFromInstanceProfile',
      'ListInstanceProfilesForRole',
      'TagInstanceProfile',
      'ListInstanceProfileTags',
      'CreateServiceLinkedRole',
    ],
  },
};

for (const [name, svc] of Object.entries(services)) {
  const model = JSON.parse(readFileSync(join(dataDir, svc.file), 'utf8'));
  const shapes = {};
  const operations = {};
  // REST protocols place members in the URI, query string and headers, and name a body payload: kept for them
  // only, so the Query services' generated models stay as they were.
  const rest = model.metadata.protocol.startsWith('rest');
  const visit = (shapeName) => {
    if (shapes[shapeName]) return;
    const s = model.shapes[shapeName];
    const t = { type: s.type };
    shapes[shapeName] = t;
    if (rest) {
      if (s.payload) t.payload = s.payload;
      if (s.locationName) t.locationName = s.locationName;
      if (s.timestampFormat) t.timestampFormat = s.timestampFormat;
    }
    // The model's own limits, for the services whose handlers validate by them (IAM names and paths).
    if (rest || svc.constraints) {
      if (s.required?.length) t.required = s.required;
      if (s.enum) t.enum = s.enum;
      for (const k of ['min', 'max', 'pattern']) if (s[k] !== undefined) t[k] = s[k];
    }
    if (s.type === 'structure') {
      t.members = {};
      for (const [m, ref] of Object.entries(s.members)) {
        const r = { shape: ref.shape };
        if (ref.locationName) r.locationName = ref.locationName;
        if (ref.queryName) r.queryName = ref.queryName;
        if (ref.flattened) r.flattened = true;
        if (rest && ref.location) r.location = ref.location;
        t.members[m] = r;
        visit(ref.shape);
      }
    } else if (s.type === 'list') {
      t.member = { shape: s.member.shape };
      if (s.member.locationName) t.member.locationName = s.member.locationName;
      if (s.flattened) t.flattened = true;
      visit(s.member.shape);
    } else if (s.type === 'map') {
      t.key = { shape: s.key.shape };
      t.value = { shape: s.value.shape };
      visit(s.key.shape);
      visit(s.value.shape);
    }
  };
  for (const a of svc.actions) {
    const op = model.operations[a];
    if (!op) throw new Error(`${name}: no operation ${a}`);
    operations[a] = {
      input: op.input?.shape,
      output: op.output?.shape,
      resultWrapper: op.output?.resultWrapper,
    };
    if (rest) {
      operations[a].http = { method: op.http.method, requestUri: op.http.requestUri };
      if (op.http.responseCode) operations[a].http.responseCode = op.http.responseCode;
      if (op.input?.locationName) operations[a].inputRoot = op.input.locationName;
    }
    if (op.input) visit(op.input.shape);
    if (op.output) visit(op.output.shape);
  }
  const out =
    `// Generated by scripts/gen-models.mjs from botocore ${svc.file}. Do not edit.\n` +
    `import type { ServiceModel } from '../model.js';\n\n` +
    `export const ${name}Model: ServiceModel = ${JSON.stringify(
      { protocol: model.metadata.protocol, apiVersion: model.metadata.apiVersion, operations, shapes },
      null,
      0,
    )};\n`;
  writeFileSync(join(here, '..', 'src', 'protocol', 'models', `${name}.ts`), out);
  console.log(name, Object.keys(shapes).length, 'shapes');
}
