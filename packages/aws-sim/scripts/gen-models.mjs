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
      'CreateLaunchTemplate',
      'CreateLaunchTemplateVersion',
      'DescribeLaunchTemplates',
      'DescribeLaunchTemplateVersions',
      'ModifyLaunchTemplate',
      'DeleteLaunchTemplate',
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
  autoscaling: {
    file: 'autoscaling/2011-01-01/service-2.json',
    actions: [
      'CreateAutoScalingGroup',
      'UpdateAutoScalingGroup',
      'DescribeAutoScalingGroups',
      'DescribeAutoScalingInstances',
      'SetDesiredCapacity',
      'DeleteAutoScalingGroup',
      'DescribeScalingActivities',
      'PutScalingPolicy',
      'DescribePolicies',
      'DeletePolicy',
      'StartInstanceRefresh',
      'DescribeInstanceRefreshes',
      'CancelInstanceRefresh',
      'CreateOrUpdateTags',
      'DescribeTags',
      'DeleteTags',
      'TerminateInstanceInAutoScalingGroup',
    ],
    // Members AWS added after Debian's model (awscli 2.9.19) was cut, as the API reference documents them:
    // RefreshPreferences.MaxHealthyPercentage (Integer 100-200, "launch before terminate" above 100).
    overlay: { RefreshPreferences: { MaxHealthyPercentage: { shape: 'IntPercent100To200' } } },
    extraShapes: { IntPercent100To200: { type: 'integer' } },
  },
};

for (const [name, svc] of Object.entries(services)) {
  const model = JSON.parse(readFileSync(join(dataDir, svc.file), 'utf8'));
  for (const [shapeName, shape] of Object.entries(svc.extraShapes ?? {}))
    model.shapes[shapeName] ??= shape;
  for (const [shapeName, members] of Object.entries(svc.overlay ?? {}))
    for (const [m, ref] of Object.entries(members)) model.shapes[shapeName].members[m] ??= ref;
  const shapes = {};
  const operations = {};
  const visit = (shapeName) => {
    if (shapes[shapeName]) return;
    const s = model.shapes[shapeName];
    const t = { type: s.type };
    shapes[shapeName] = t;
    if (s.type === 'structure') {
      t.members = {};
      for (const [m, ref] of Object.entries(s.members)) {
        const r = { shape: ref.shape };
        if (ref.locationName) r.locationName = ref.locationName;
        if (ref.queryName) r.queryName = ref.queryName;
        if (ref.flattened) r.flattened = true;
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
