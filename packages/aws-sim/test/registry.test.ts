import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/index.js';
import { AwsError } from '../src/errors.js';
import type { ApiRequest, ServiceProtocol } from '../src/protocol/protocol.js';
import { queryParams } from '../src/protocol/query.js';
import { SERVICES, serviceFor } from '../src/registry.js';
import type { SimService } from '../src/service.js';

/** A Query request as a client sends it: form body, optionally signed for a service's credential scope. */
function request(params: Record<string, string>, scope?: string): ApiRequest {
  const headers = scope
    ? { authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/${scope}/aws4_request, ...` }
    : {};
  return {
    method: 'POST',
    url: new URL('http://sim/'),
    headers,
    body: new URLSearchParams(params).toString(),
  };
}

const named = (req: ApiRequest, services?: readonly SimService[]) => serviceFor(req, services).protocol.name;

describe('service registry: which service a request is for', () => {
  it('goes by the API version first, then by the credential scope, then by who has the action', () => {
    assert.equal(named(request({ Action: 'DescribeTags', Version: '2015-12-01' })), 'elbv2');
    assert.equal(named(request({ Action: 'DescribeTags', Version: '2016-11-15' })), 'ec2');
    // The version outranks the scope a client signed with.
    assert.equal(
      named(request({ Action: 'DescribeVpcs', Version: '2016-11-15' }, 'elasticloadbalancing')),
      'ec2',
    );
    assert.equal(named(request({ Action: 'DescribeTags' }, 'elasticloadbalancing')), 'elbv2');
    assert.equal(named(request({ Action: 'DescribeLoadBalancers' })), 'elbv2');
    // An action both services have, with nothing else to go by, and no action at all: the first service.
    assert.equal(named(request({ Action: 'DescribeTags' })), 'ec2');
    assert.equal(named(request({})), 'ec2');
  });

  it('takes a new service by its protocol object alone, with no branch on its name', () => {
    const autoscaling: ServiceProtocol = {
      ...SERVICES[1]!.protocol,
      name: 'autoscaling',
      signingName: 'autoscaling',
      recognise: (req) => (queryParams(req).flat.Version === '2011-01-01' ? 2 : 0),
      statusFor: () => 400,
      errors: { ...SERVICES[1]!.protocol.errors, internal: () => new AwsError('InternalFailure', 'x', 500) },
    };
    const services = [...SERVICES, { protocol: autoscaling, actions: {} }];
    assert.equal(
      named(request({ Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' }), services),
      'autoscaling',
    );
    assert.equal(named(request({ Action: 'DescribeVpcs', Version: '2016-11-15' }), services), 'ec2');
  });
});

describe('service registry over HTTP', () => {
  let sim: Simulator;
  before(async () => (sim = await startSimulator({ profile: 'fast', seed: 3 })));
  after(() => sim.stop());

  const post = (params: Record<string, string>) =>
    fetch(sim.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });

  it("answers each service in its own protocol: EC2's <Response><Errors>, ELBv2's <ErrorResponse> with a type", async () => {
    const ec2 = await post({ Action: 'NoSuchThing', Version: '2016-11-15' });
    assert.equal(ec2.status, 400);
    assert.match(await ec2.text(), /^<\?xml[^>]*>\n<Response><Errors><Error><Code>InvalidAction<\/Code>/);
    const elb = await post({ Action: 'NoSuchThing', Version: '2015-12-01' });
    assert.equal(elb.status, 400);
    assert.match(
      await elb.text(),
      /<ErrorResponse [^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
    );
    const lbs = await post({ Action: 'DescribeLoadBalancers' });
    assert.equal(lbs.status, 200);
    assert.match(await lbs.text(), /<DescribeLoadBalancersResult>/);
    assert.deepEqual(
      sim.calls.map((c) => [c.service, c.action, c.status]),
      [
        ['ec2', 'NoSuchThing', 400],
        ['elbv2', 'NoSuchThing', 400],
        ['elbv2', 'DescribeLoadBalancers', 200],
      ],
    );
  });
});
