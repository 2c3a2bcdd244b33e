import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure, until } from './helpers.js';

/** A GET through the data plane with this Host header: status, location, body. */
function fetchAs(url: string, host: string, method = 'GET') {
  return new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = get(url, { headers: { host }, method }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
    });
    req.on('error', reject);
  });
}

describe('listener rules', () => {
  let sim: Simulator;
  let l: elb.ElasticLoadBalancingV2Client;
  let lb: elb.LoadBalancer;
  let listener: elb.Listener;
  let tgArn: string;
  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    const c = clients(sim);
    l = c.elb;
    const vpcId = (await c.ec2.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const subnets = (await c.ec2.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'rules-alb', Subnets: subnets })))
      .LoadBalancers![0]!;
    tgArn = (
      await l.send(
        new elb.CreateTargetGroupCommand({ Name: 'rules-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    listener = (
      await l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [
            { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', MessageBody: 'default' } },
          ],
        }),
      )
    ).Listeners![0]!;
    await until(
      () => l.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })),
      (r) => r.LoadBalancers![0]!.State!.Code === 'active',
    );
  });
  after(() => sim.stop());

  const create = (input: Partial<elb.CreateRuleInput>) =>
    l.send(
      new elb.CreateRuleCommand({
        ListenerArn: listener.ListenerArn,
        Priority: 10,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['www.example-cafe.com'] } }],
        Actions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
        ...input,
      }),
    );

  it('redirects by host and path as the rules say, by priority; the rest gets the default actions', async () => {
    const host = (await create({})).Rules![0]!;
    assert.equal(host.Priority, '10');
    assert.deepEqual(host.Conditions![0]!.Values, ['www.example-cafe.com']);
    await create({
      Priority: 5,
      Conditions: [{ Field: 'path-pattern', Values: ['/old/*'] }],
      Actions: [{ Type: 'redirect', RedirectConfig: { Path: '/new/#{path}', StatusCode: 'HTTP_302' } }],
    });
    const url = sim.dataPlaneUrl(lb.DNSName!, 80)!;
    const www = await fetchAs(`${url}menu?x=1`, 'WWW.Example-Cafe.com');
    assert.equal(www.status, 301);
    assert.equal(www.location, 'https://WWW.Example-Cafe.com:443/menu?x=1');
    const old = await fetchAs(`${url}old/page`, 'www.example-cafe.com');
    assert.equal(old.status, 302, 'priority 5 before 10');
    assert.equal(old.location, 'http://www.example-cafe.com:80/new/old/page');
    const other = await fetchAs(url, 'example.org');
    assert.deepEqual([other.status, other.body], [200, 'default']);

    const rules = (await l.send(new elb.DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    assert.deepEqual(
      rules.map((r) => [r.Priority, r.IsDefault]),
      [
        ['5', false],
        ['10', false],
        ['default', true],
      ],
    );
    const byArn = await l.send(new elb.DescribeRulesCommand({ RuleArns: [rules[2]!.RuleArn!] }));
    assert.equal(byArn.Rules![0]!.IsDefault, true);
  });

  it('refuses a priority in use, unknown fields, too many values, and touching the default rule', async () => {
    assert.equal((await failure(() => create({}))).name, 'PriorityInUseException');
    const field = await failure(() =>
      create({ Priority: 20, Conditions: [{ Field: 'cookie', Values: ['x'] }] }),
    );
    assert.equal(field.name, 'ValidationError');
    const none = await failure(() => create({ Priority: 21, Conditions: [] }));
    assert.equal(none.name, 'ValidationError');
    const many = await failure(() =>
      create({
        Priority: 22,
        Conditions: [{ Field: 'host-header', Values: ['a', 'b', 'c', 'd', 'e', 'f'] }],
      }),
    );
    assert.equal(many.name, 'ValidationError');
    assert.match(many.message, /at most 5 condition values/);
    const loop = await failure(() =>
      create({ Priority: 23, Actions: [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }] }),
    );
    assert.equal(loop.name, 'InvalidLoadBalancerActionException');
    const rules = (await l.send(new elb.DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    const deflt = rules.find((r) => r.IsDefault)!;
    const del = await failure(() => l.send(new elb.DeleteRuleCommand({ RuleArn: deflt.RuleArn })));
    assert.equal(del.name, 'OperationNotPermittedException');
    const gone = await failure(() =>
      l.send(
        new elb.DeleteRuleCommand({
          RuleArn: `${deflt.RuleArn!.replace(/\/[0-9a-f]+$/, '')}/0000000000000000`,
        }),
      ),
    );
    assert.equal(gone.name, 'RuleNotFoundException');
  });

  it('tags a rule like the other ELBv2 resources, and refuses tags for a rule that does not exist', async () => {
    const rule = (
      await create({
        Priority: 40,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/tagged/*'] } }],
        Tags: [{ Key: 'site:name', Value: 'rules' }],
      })
    ).Rules![0]!;
    await l.send(
      new elb.AddTagsCommand({ ResourceArns: [rule.RuleArn!], Tags: [{ Key: 'extra', Value: '1' }] }),
    );
    const described = await l.send(new elb.DescribeTagsCommand({ ResourceArns: [rule.RuleArn!] }));
    assert.deepEqual(described.TagDescriptions![0]!.Tags!.map((t) => `${t.Key}=${t.Value}`).sort(), [
      'extra=1',
      'site:name=rules',
    ]);
    await l.send(new elb.DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    const gone = await failure(() => l.send(new elb.DescribeTagsCommand({ ResourceArns: [rule.RuleArn!] })));
    assert.equal(gone.name, 'RuleNotFoundException');
  });

  it('keeps a target group a rule forwards to in use, and forgets the rules with their listener', async () => {
    const rule = (
      await create({
        Priority: 30,
        Conditions: [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      })
    ).Rules![0]!;
    const inUse = await failure(() => l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tgArn })));
    assert.equal(inUse.name, 'ResourceInUseException');
    const modified = await l.send(
      new elb.ModifyRuleCommand({
        RuleArn: rule.RuleArn,
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
      }),
    );
    assert.equal(modified.Rules![0]!.Actions![0]!.Type, 'fixed-response');
    await l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    const after = await failure(() => l.send(new elb.DescribeRulesCommand({ RuleArns: [rule.RuleArn!] })));
    assert.equal(after.name, 'RuleNotFoundException');
  });
});
