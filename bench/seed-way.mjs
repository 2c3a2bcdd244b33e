// The baseline: the same site deployed the way the seed document's boto3 script does it — one step
// after another, the SDK waiters' fixed 15 s polls, done when the listener exists (no health wait) —
// written with the AWS SDK v3 clients, against the same simulator.
import { EC2 } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';

/** boto3's instance_running and load_balancer_available waiters: check, then sleep a fixed 15 s. */
const WAITER_DELAY_MS = 15_000;

const USER_DATA = `#!/bin/bash
yum update -y
yum install -y httpd wget unzip
systemctl enable --now httpd
cd /tmp && wget https://www.tooplate.com/zip-templates/2137_barista_cafe.zip
unzip -o 2137_barista_cafe.zip && cp -r 2137_barista_cafe/* /var/www/html/
`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waiter(check, delayMs) {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await check()) return;
    await sleep(delayMs);
  }
  throw new Error('waiter gave up');
}

/** Deploy like the seed; resolves when its last step (CreateListener) is done, with the DNS name. */
export async function deploySeedWay({ endpoint, timeScale, name = 'seed-way' }) {
  const settings = {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const ec2 = new EC2(settings);
  const elbv2 = new ElasticLoadBalancingV2(settings);
  const tags = [
    { Key: 'Project', Value: name },
    { Key: 'ManagedBy', Value: 'Boto3-Automation' },
  ];
  const tagged = (ResourceType) => [{ ResourceType, Tags: tags }];

  // Step 1: key pair (check, then create).
  const keyName = `${name}-keypair`;
  try {
    await ec2.describeKeyPairs({ KeyNames: [keyName] });
  } catch {
    await ec2.createKeyPair({ KeyName: keyName, TagSpecifications: tagged('key-pair') });
  }

  // Step 2: public IP.
  const myIp = (await (await fetch(`${endpoint}/_sim/checkip`)).text()).trim();

  // Step 3: security groups in the default VPC.
  const { Vpcs = [] } = await ec2.describeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
  const vpcId = Vpcs[0].VpcId;
  const instanceSg = await ec2.createSecurityGroup({
    GroupName: `${name}-instance-sg`,
    Description: 'instance',
    VpcId: vpcId,
    TagSpecifications: tagged('security-group'),
  });
  await ec2.authorizeSecurityGroupIngress({
    GroupId: instanceSg.GroupId,
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: `${myIp}/32` }] },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
  });
  const albSg = await ec2.createSecurityGroup({
    GroupName: `${name}-alb-sg`,
    Description: 'alb',
    VpcId: vpcId,
    TagSpecifications: tagged('security-group'),
  });
  await ec2.authorizeSecurityGroupIngress({
    GroupId: albSg.GroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });

  // Step 4: the instance, then wait until it runs.
  const { Images = [] } = await ec2.describeImages({
    Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
  });
  const image = Images.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  const run = await ec2.runInstances({
    ImageId: image.ImageId,
    InstanceType: 't2.micro',
    MinCount: 1,
    MaxCount: 1,
    KeyName: keyName,
    SecurityGroupIds: [instanceSg.GroupId],
    UserData: Buffer.from(USER_DATA).toString('base64'),
    TagSpecifications: tagged('instance'),
  });
  const instanceId = run.Instances[0].InstanceId;
  const delay = WAITER_DELAY_MS * timeScale;
  await waiter(async () => {
    try {
      const { Reservations = [] } = await ec2.describeInstances({ InstanceIds: [instanceId] });
      return Reservations[0]?.Instances?.[0]?.State?.Name === 'running';
    } catch {
      return false;
    }
  }, delay);
  await ec2.describeInstances({ InstanceIds: [instanceId] });

  // Step 5: target group, targets, load balancer (wait until available), listener.
  const { Subnets = [] } = await ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
  const { TargetGroups = [] } = await elbv2.createTargetGroup({
    Name: `${name}-tg`,
    Protocol: 'HTTP',
    Port: 80,
    VpcId: vpcId,
    TargetType: 'instance',
    HealthCheckPath: '/',
    HealthCheckIntervalSeconds: 10,
    HealthyThresholdCount: 2,
    Tags: tags,
  });
  const targetGroupArn = TargetGroups[0].TargetGroupArn;
  await elbv2.registerTargets({ TargetGroupArn: targetGroupArn, Targets: [{ Id: instanceId, Port: 80 }] });
  const { LoadBalancers = [] } = await elbv2.createLoadBalancer({
    Name: `${name}-alb`,
    Subnets: [...new Map(Subnets.map((s) => [s.AvailabilityZone, s.SubnetId])).values()],
    SecurityGroups: [albSg.GroupId],
    Scheme: 'internet-facing',
    Type: 'application',
    Tags: tags,
  });
  const { LoadBalancerArn: loadBalancerArn, DNSName: dnsName } = LoadBalancers[0];
  await waiter(async () => {
    const answer = await elbv2.describeLoadBalancers({ LoadBalancerArns: [loadBalancerArn] });
    return answer.LoadBalancers?.[0]?.State?.Code === 'active';
  }, delay);
  await elbv2.createListener({
    LoadBalancerArn: loadBalancerArn,
    Protocol: 'HTTP',
    Port: 80,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
  });
  ec2.destroy();
  elbv2.destroy();
  return { dnsName };
}
