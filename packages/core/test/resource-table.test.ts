import { strict as assert } from 'node:assert';
import { shortenArns, shortId, summaryPhrase, summaryRow } from '../src/index.js';

const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cafe-alb/11618c4ccebd621c';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cafe-tg/016707cd6e381c77';
const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/cafe-alb/11618c4ccebd621c/609be1ef14410b68';

describe('the resource table', () => {
  it('reads a summary as what, name and id, and keeps ARNs out unless verbose', () => {
    assert.deepEqual(
      summaryRow('Instance security group', {
        groupId: 'sg-0b44',
        groupName: 'cafe-instance-sg',
        sshCidr: '203.0.113.10/32',
      }),
      { what: 'Instance security group', name: 'cafe-instance-sg', id: 'sg-0b44' },
    );
    // A load balancer has only its ARN and DNS name: the ARN gives its name and id; a DNS name is no name.
    assert.deepEqual(
      summaryRow('Load balancer', { loadBalancerArn: LB_ARN, dnsName: 'cafe-alb-1.elb.amazonaws.com' }),
      {
        what: 'Load balancer',
        name: 'cafe-alb',
        id: '11618c4ccebd621c',
      },
    );
    assert.deepEqual(summaryRow('Listener', { listenerArn: LISTENER_ARN, port: 80 }), {
      what: 'Listener',
      name: undefined,
      id: '609be1ef14410b68',
    });
    // An ARN beside an id belongs to another resource: it names nothing here.
    assert.deepEqual(summaryRow('Targets', { targetGroupArn: TG_ARN, instanceIds: ['i-1', 'i-2'] }), {
      what: 'Targets',
      name: undefined,
      id: 'i-1, i-2',
    });
  });

  it('with --verbose shows the whole ARN and every other value', () => {
    assert.deepEqual(
      summaryRow(
        'Load balancer',
        { loadBalancerArn: LB_ARN, dnsName: 'cafe-alb-1.elb.amazonaws.com' },
        { verbose: true },
      ),
      {
        what: 'Load balancer',
        name: 'cafe-alb',
        id: LB_ARN,
        detail: 'DNS name cafe-alb-1.elb.amazonaws.com',
      },
    );
    assert.equal(
      summaryRow('Targets', { targetGroupArn: TG_ARN, instanceIds: ['i-1'] }, { verbose: true }).detail,
      `target group ARN ${TG_ARN}`,
    );
  });

  it('leaves out what is shown elsewhere (the URL, the ssh command)', () => {
    assert.deepEqual(
      summaryRow(
        'EC2 instances',
        { instanceIds: ['i-1'], ssh: 'ssh -i k.pem ec2-user@h' },
        { verbose: true, leaveOut: ['ssh'] },
      ),
      { what: 'EC2 instances', name: undefined, id: 'i-1' },
    );
    assert.equal(
      summaryPhrase({ url: 'http://x/', healthyTargets: '1/1', http: 200 }, ['url']),
      'healthy targets 1/1, HTTP 200',
    );
  });

  it('shortens ARNs in ids and in text, and leaves other values alone', () => {
    assert.equal(shortId(LB_ARN), '11618c4ccebd621c');
    assert.equal(shortId('i-04660d4847e665c2c'), 'i-04660d4847e665c2c');
    assert.equal(shortenArns(`→ ${TG_ARN}`), '→ targetgroup/cafe-tg/016707cd6e381c77');
    assert.equal(shortenArns('tcp/80 from 0.0.0.0/0'), 'tcp/80 from 0.0.0.0/0');
  });
});
