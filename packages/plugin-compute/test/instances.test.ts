import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instancesResource } from '../src/resources/instances.js';
import { clientToken, desiredSpec } from '../src/spec.js';
import {
  describeInstancesXml,
  EC2,
  makeContext,
  runInstancesXml,
  terminateInstancesXml,
  type FakeInstance,
} from './fixtures.js';
import {
  ec2Error,
  fakeQueryService,
  paramsObject,
  paramsUnder,
  setUpNock,
  tearDownNock,
} from '@site-cli/core/testing';

/**
 * DescribeInstanceTypeOfferings by zone name as EC2 answers it, one offering per page (so every page must be
 * read): `zones` offer every type.
 */
function offeringsHandler(zones: string[]) {
  return (p: URLSearchParams) => {
    const type = p.get('Filter.1.Value.1') ?? 't2.micro';
    const start = Number(p.get('NextToken') ?? 0);
    const next = start + 1 < zones.length ? `<nextToken>${start + 1}</nextToken>` : '';
    const item = zones[start]
      ? `<item><instanceType>${type}</instanceType><locationType>availability-zone</locationType><location>${zones[start]}</location></item>`
      : '';
    return `<DescribeInstanceTypeOfferingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instanceTypeOfferingSet>${item}</instanceTypeOfferingSet>${next}</DescribeInstanceTypeOfferingsResponse>`;
  };
}

/** A tiny stateful EC2 at the wire level: launches, state transitions, tag filters, terminate. */
function fakeEc2(
  initial: FakeInstance[] = [],
  options: { failFirstRun?: boolean; offeredIn?: string[] } = {},
) {
  const instances = new Map(initial.map((i) => [i.id, { ...i }]));
  const byToken = new Map<string, string>();
  let next = 1;
  let runs = 0;
  const service = fakeQueryService(EC2, {
    DescribeInstanceTypeOfferings: offeringsHandler(options.offeredIn ?? ['us-east-1a', 'us-east-1b']),
    RunInstances(p) {
      runs += 1;
      if (options.failFirstRun && runs === 1)
        return ec2Error('InternalError', 'We encountered an internal error.', 503);
      const token = p.get('ClientToken') ?? '';
      const existing = byToken.get(token);
      if (existing) return runInstancesXml(instances.get(existing)!);
      const tags: Record<string, string> = {};
      for (let t = 1; p.get(`TagSpecification.1.Tag.${t}.Key`); t++) {
        tags[p.get(`TagSpecification.1.Tag.${t}.Key`)!] = p.get(`TagSpecification.1.Tag.${t}.Value`)!;
      }
      const subnet = p.get('SubnetId')!;
      const instance: FakeInstance = {
        id: `i-00000000000000${String(next++).padStart(3, '0')}`,
        state: 'pending',
        subnet,
        az: subnet === 'subnet-a' ? 'us-east-1a' : 'us-east-1b',
        type: p.get('InstanceType')!,
        imageId: p.get('ImageId')!,
        tags,
        launchTime: new Date(Date.UTC(2025, 0, 1, 0, 0, next)).toISOString(),
        publicIp: `198.51.100.${next}`,
        publicDns: `ec2-198-51-100-${next}.compute-1.amazonaws.com`,
      };
      instances.set(instance.id, instance);
      byToken.set(token, instance.id);
      return runInstancesXml(instance);
    },
    DescribeInstances(p) {
      const ids = [...p.entries()].filter(([k]) => k.startsWith('InstanceId.')).map(([, v]) => v);
      if (ids.length > 0) {
        if (ids.some((id) => !instances.has(id)))
          return ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${ids}' do not exist`);
        const found = ids.map((id) => instances.get(id)!);
        const reply = describeInstancesXml(found);
        for (const i of found) {
          if (i.state === 'pending') i.state = 'running';
          if (i.state === 'shutting-down') i.state = 'terminated';
        }
        return reply;
      }
      // The instance-state-name filter as sent (site asks for the states it cares about).
      const stateFilter = [...p.entries()].find(([, v]) => v === 'instance-state-name')?.[0];
      const states = stateFilter
        ? [...p.entries()]
            .filter(([k]) => k.startsWith(stateFilter.replace(/Name$/, 'Value.')))
            .map(([, v]) => v)
        : undefined;
      const live = [...instances.values()].filter(
        (i) => i.tags?.['site:name'] === 'barista-cafe' && (!states || states.includes(i.state)),
      );
      return describeInstancesXml(live);
    },
    TerminateInstances(p) {
      const ids = [...p.entries()].filter(([k]) => k.startsWith('InstanceId.')).map(([, v]) => v);
      for (const id of ids) instances.get(id)!.state = 'shutting-down';
      return terminateInstancesXml(ids);
    },
  });
  return { ...service, instances };
}

describe('compute.instances (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('discovers with ONE tag-filtered DescribeInstances and reports nothing when nothing exists', async () => {
    const ec2 = fakeEc2();
    assert.equal(await instancesResource().discover(makeContext()), undefined);
    assert.deepEqual(ec2.actions(), ['DescribeInstances']);
    assert.deepEqual(paramsObject(ec2.of('DescribeInstances')[0]), {
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'Filter.1.Name': 'tag:site:name',
      'Filter.1.Value.1': 'barista-cafe',
      'Filter.2.Name': 'tag:ManagedBy',
      'Filter.2.Value.1': 'site',
      'Filter.3.Name': 'tag:site:resource',
      'Filter.3.Value.1': 'compute.instances',
      'Filter.4.Name': 'instance-state-name',
      'Filter.4.Value.1': 'pending',
      'Filter.4.Value.2': 'running',
      'Filter.4.Value.3': 'stopping',
      'Filter.4.Value.4': 'stopped',
      'Filter.4.Value.5': 'shutting-down',
    });
  });

  it('discovers every page of DescribeInstances, following NextToken with the same filters', async () => {
    const site = { 'site:name': 'barista-cafe', ManagedBy: 'site', 'site:resource': 'compute.instances' };
    const instances: FakeInstance[] = [1, 2, 3].map((n) => ({
      id: `i-0000000000000000${n}`,
      state: 'running',
      tags: { ...site, 'site:index': String(n - 1) },
    }));
    // One instance a page, as EC2 may page any tag-filtered DescribeInstances.
    const ec2 = fakeQueryService(EC2, {
      DescribeInstances(p) {
        const page = Number(p.get('NextToken') ?? 0);
        const next = page + 1 < instances.length ? `<nextToken>${page + 1}</nextToken>` : '';
        return describeInstancesXml([instances[page]]).replace(
          '</DescribeInstancesResponse>',
          `${next}</DescribeInstancesResponse>`,
        );
      },
    });
    const out = await instancesResource().discover(makeContext());
    assert.deepEqual(
      [...(out?.instances.map((i) => i.instanceId) ?? []), ...(out?.retiring ?? [])].sort(),
      instances.map((i) => i.id),
    );
    const calls = ec2.of('DescribeInstances');
    assert.deepEqual(
      calls.map((c) => c.get('NextToken')),
      [null, '1', '2'],
    );
    for (const call of calls) assert.equal(call.get('Filter.3.Value.1'), 'compute.instances');
  });

  it('launches one instance per call with IMDSv2, an encrypted gp3 root volume, tags, a ClientToken, spread over the AZs', async () => {
    const ec2 = fakeEc2();
    const ctx = makeContext({ instance: { count: 2, volumeSize: 12 } });
    const spec = await desiredSpec(ctx);
    const out = await instancesResource().create(ctx);

    assert.equal(ec2.actions()[0], 'DescribeInstances', 'discovery comes first');
    const runs = ec2.of('RunInstances');
    assert.equal(runs.length, 2);
    for (const [index, run] of runs.entries()) {
      assert.equal(run.get('MinCount'), '1');
      assert.equal(run.get('MaxCount'), '1');
      assert.equal(run.get('ImageId'), 'ami-0123456789abcdef0');
      assert.equal(run.get('InstanceType'), 't2.micro');
      assert.equal(run.get('KeyName'), 'barista-cafe-key');
      assert.equal(run.get('SecurityGroupId.1'), 'sg-0instance');
      assert.deepEqual(paramsUnder(run, 'MetadataOptions.'), {
        'MetadataOptions.HttpTokens': 'required',
        'MetadataOptions.HttpEndpoint': 'enabled',
        'MetadataOptions.HttpPutResponseHopLimit': '2',
      });
      assert.deepEqual(paramsUnder(run, 'BlockDeviceMapping.'), {
        'BlockDeviceMapping.1.DeviceName': '/dev/xvda',
        'BlockDeviceMapping.1.Ebs.VolumeSize': '12',
        'BlockDeviceMapping.1.Ebs.VolumeType': 'gp3',
        'BlockDeviceMapping.1.Ebs.Encrypted': 'true',
        'BlockDeviceMapping.1.Ebs.DeleteOnTermination': 'true',
      });
      assert.equal(
        run.get('ClientToken'),
        clientToken('barista-cafe', 'sg-0instance', spec.fingerprint, index),
      );
      assert.ok(run.get('ClientToken')!.length <= 64);
      // Tags for the instance AND its volume, with the site's tags and the fingerprint.
      assert.equal(run.get('TagSpecification.1.ResourceType'), 'instance');
      assert.equal(run.get('TagSpecification.2.ResourceType'), 'volume');
      for (const spec_ of [1, 2]) {
        const tags: Record<string, string> = {};
        for (let t = 1; run.get(`TagSpecification.${spec_}.Tag.${t}.Key`); t++) {
          tags[run.get(`TagSpecification.${spec_}.Tag.${t}.Key`)!] = run.get(
            `TagSpecification.${spec_}.Tag.${t}.Value`,
          )!;
        }
        assert.equal(tags['site:name'], 'barista-cafe');
        assert.equal(tags['site:resource'], 'compute.instances');
        assert.equal(tags.ManagedBy, 'site');
        assert.equal(tags.Name, `barista-cafe-web-${index + 1}`);
        assert.equal(tags['site:fingerprint'], spec.fingerprint);
        assert.equal(tags['site:index'], String(index));
        assert.equal(tags['site:instance-type'], 't2.micro');
        assert.equal(tags['site:template'], '2137_barista_cafe');
      }
      const script = Buffer.from(run.get('UserData')!, 'base64').toString('utf8');
      assert.ok(script.startsWith('#!/bin/bash\n'));
      assert.ok(script.includes('https://www.tooplate.com/zip-templates/2137_barista_cafe.zip'));
    }
    assert.deepEqual(
      runs.map((r) => r.get('SubnetId')),
      ['subnet-a', 'subnet-b'],
      'one subnet per AZ, index i → subnet i mod n',
    );
    assert.equal(new Set(runs.map((r) => r.get('ClientToken'))).size, 2);

    assert.equal(out.instances.length, 2);
    assert.deepEqual(
      out.instances.map((i) => i.state),
      ['running', 'running'],
    );
    assert.deepEqual(
      out.instances.map((i) => i.availabilityZone),
      ['us-east-1a', 'us-east-1b'],
    );
    assert.deepEqual(out.retiring, []);
    assert.equal(out.fingerprint, spec.fingerprint);
    assert.equal(out.sshUser, 'ec2-user');
    assert.equal(out.imageId, 'ami-0123456789abcdef0');
    assert.ok(out.instances[0].publicDnsName?.endsWith('.compute-1.amazonaws.com'));
  });

  it('places instances only in the zones that offer the type (every page of the offerings), spread evenly', async () => {
    const ctx = makeContext({ instance: { count: 3, type: 't3.micro' } });
    const ec2 = fakeEc2([], { offeredIn: ['us-east-1b', 'us-east-1f'] });
    await instancesResource().create(ctx);
    const offerings = ec2.of('DescribeInstanceTypeOfferings');
    assert.equal(offerings.length, 2, 'both pages read');
    assert.deepEqual(
      [
        offerings[0].get('LocationType'),
        offerings[0].get('Filter.1.Name'),
        offerings[0].get('Filter.1.Value.1'),
      ],
      ['availability-zone', 'instance-type', 't3.micro'],
    );
    // us-east-1a does not offer t3.micro here: all three go to subnet-b (us-east-1b), the one zone left.
    assert.deepEqual(
      ec2.of('RunInstances').map((p) => p.get('SubnetId')),
      ['subnet-b', 'subnet-b', 'subnet-b'],
    );
  });

  it('fails before any launch (exit 2, naming instance.type and the zones) when no zone of the VPC offers the type', async () => {
    const ctx = makeContext({ instance: { type: 't3.micro' } });
    const ec2 = fakeEc2([], { offeredIn: ['us-east-1f'] });
    await assert.rejects(instancesResource().preflight!(ctx, { action: 'create' }), (error: any) => {
      assert.equal(error.code, 'INSTANCE_TYPE_NOT_OFFERED');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^instance\.type: t3\.micro is not offered in any Availability Zone/);
      assert.match(error.message, /us-east-1a, us-east-1b/);
      assert.match(error.message, /AWS offers it only in us-east-1f/);
      assert.match(error.suggestions.join('\n'), /describe-instance-type-offerings/);
      return true;
    });
    assert.equal(ec2.of('RunInstances').length, 0);
  });

  it('retries a launch after a 503 with the same ClientToken', async () => {
    const ec2 = fakeEc2([], { failFirstRun: true });
    const ctx = makeContext({}, { maxAttempts: 2 });
    const out = await instancesResource().create(ctx);
    const runs = ec2.of('RunInstances');
    assert.equal(runs.length, 2, 'the SDK retried once');
    assert.equal(runs[0].get('ClientToken'), runs[1].get('ClientToken'));
    assert.equal(out.instances.length, 1);
    assert.equal(ec2.instances.size, 1, 'no second instance');
  });

  it('resumes without a duplicate: launches only the missing index', async () => {
    const ctx = makeContext({ instance: { count: 2 } });
    const spec = await desiredSpec(ctx);
    const ec2 = fakeEc2([
      {
        id: 'i-0existing0000001',
        state: 'running',
        subnet: 'subnet-a',
        tags: {
          'site:name': 'barista-cafe',
          ManagedBy: 'site',
          'site:resource': 'compute.instances',
          'site:fingerprint': spec.fingerprint,
          'site:index': '0',
        },
      },
    ]);
    const found = await instancesResource().discover(ctx);
    assert.deepEqual(await instancesResource().diff!(ctx, found!), [
      { field: 'instance count', from: 1, to: 2 },
    ]);
    const out = await instancesResource().update!(ctx, found!, []);
    const runs = ec2.of('RunInstances');
    assert.equal(runs.length, 1);
    assert.equal(runs[0].get('SubnetId'), 'subnet-b');
    assert.ok(
      [...runs[0].entries()].some(
        ([k, v]) => k.startsWith('TagSpecification.1.Tag.') && k.endsWith('.Key') && v === 'site:index',
      ),
    );
    assert.equal(
      runs[0].get('ClientToken'),
      clientToken('barista-cafe', 'sg-0instance', spec.fingerprint, 1),
    );
    assert.deepEqual(out.instances.map((i) => i.instanceId).slice(0, 1), ['i-0existing0000001']);
    assert.equal(out.instances.length, 2);
  });

  it('waits for a pending instance an interrupted run left (before anything registers it), launching nothing', async () => {
    const ctx = makeContext();
    const spec = await desiredSpec(ctx);
    const ec2 = fakeEc2([
      {
        id: 'i-0pending00000001',
        state: 'pending',
        subnet: 'subnet-a',
        tags: {
          'site:name': 'barista-cafe',
          ManagedBy: 'site',
          'site:resource': 'compute.instances',
          'site:fingerprint': spec.fingerprint,
          'site:index': '0',
        },
      },
    ]);
    const resource = instancesResource();
    const found = await resource.discover(ctx);
    assert.deepEqual(
      found?.instances.map((i) => [i.instanceId, i.state]),
      [['i-0pending00000001', 'pending']],
    );
    // Not "as configured": the plan says the deploy waits for it.
    assert.deepEqual(await resource.diff!(ctx, found!), [
      { field: 'instances starting', from: ['i-0pending00000001'], to: 'running' },
    ]);
    const out = await resource.update!(ctx, found!, []);
    assert.deepEqual(
      out.instances.map((i) => [i.instanceId, i.state]),
      [['i-0pending00000001', 'running']],
    );
    assert.equal(ec2.of('RunInstances').length, 0);
  });

  it('sees instances an interrupted run left shutting down: the plan says so, destroy waits until they are terminated', async () => {
    const ctx = makeContext();
    const spec = await desiredSpec(ctx);
    const tags = {
      'site:name': 'barista-cafe',
      ManagedBy: 'site',
      'site:resource': 'compute.instances',
      'site:fingerprint': spec.fingerprint,
      'site:index': '0',
    };
    const ec2 = fakeEc2([
      { id: 'i-0serving00000001', state: 'running', tags },
      { id: 'i-0leaving00000001', state: 'shutting-down', tags: { ...tags, 'site:fingerprint': 'old' } },
    ]);
    const resource = instancesResource();
    const found = await resource.discover(ctx);
    assert.deepEqual(found?.retiring, ['i-0leaving00000001']);
    assert.deepEqual(await resource.diff!(ctx, found!), [
      { field: 'instances shutting down', from: ['i-0leaving00000001'], to: 'terminated' },
    ]);
    await resource.destroy(ctx, found!);
    assert.deepEqual(
      [...ec2.instances.values()].map((i) => [i.id, i.state]),
      [
        ['i-0serving00000001', 'terminated'],
        ['i-0leaving00000001', 'terminated'],
      ],
    );
  });

  it('replaces on an instance type change: diff says so, update launches new ones, finalize terminates the old', async () => {
    const ctx = makeContext({ instance: { type: 't3.small' } });
    const ec2 = fakeEc2([
      {
        id: 'i-0old000000000001',
        state: 'running',
        type: 't2.micro',
        tags: {
          'site:name': 'barista-cafe',
          ManagedBy: 'site',
          'site:resource': 'compute.instances',
          'site:fingerprint': '0123456789abcdef',
          'site:index': '0',
          'site:instance-type': 't2.micro',
          'site:template': '2137_barista_cafe',
          'site:volume-size': '8',
        },
      },
    ]);
    const resource = instancesResource();
    const found = await resource.discover(ctx);
    assert.deepEqual(found?.instances, []);
    assert.deepEqual(found?.retiring, ['i-0old000000000001']);
    assert.deepEqual(await resource.diff!(ctx, found!), [
      { field: 'instance type', from: 't2.micro', to: 't3.small' },
    ]);

    const updated = await resource.update!(ctx, found!, []);
    assert.equal(updated.instances.length, 1);
    assert.equal(ec2.of('RunInstances')[0].get('InstanceType'), 't3.small');
    assert.deepEqual(updated.retiring, ['i-0old000000000001']);
    assert.equal(
      ec2.instances.get('i-0old000000000001')!.state,
      'running',
      'the old one serves until finalize',
    );

    const final = await resource.finalize!(ctx, updated);
    assert.deepEqual(final.retiring, []);
    assert.deepEqual(
      ec2.of('TerminateInstances').map((p) => p.get('InstanceId.1')),
      ['i-0old000000000001'],
    );
    assert.equal(ec2.instances.get('i-0old000000000001')!.state, 'terminated');
  });

  it('destroy terminates every instance and waits until terminated', async () => {
    const tags = {
      'site:name': 'barista-cafe',
      ManagedBy: 'site',
      'site:resource': 'compute.instances',
      'site:index': '0',
    };
    const ec2 = fakeEc2([
      { id: 'i-0a00000000000001', state: 'running', tags },
      { id: 'i-0a00000000000002', state: 'stopped', tags: { ...tags, 'site:index': '1' } },
    ]);
    const ctx = makeContext();
    const found = await instancesResource().discover(ctx);
    await instancesResource().destroy(ctx, found!);
    assert.deepEqual(
      [...ec2.instances.values()].map((i) => i.state),
      ['terminated', 'terminated'],
    );
    const terminate = ec2.of('TerminateInstances')[0];
    assert.deepEqual(paramsUnder(terminate, 'InstanceId.'), {
      'InstanceId.1': 'i-0a00000000000001',
      'InstanceId.2': 'i-0a00000000000002',
    });
  });

  it('uses instance.userDataFile relative to the config dir, and fails clearly (exit 2) when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-ud-'));
    await writeFile(join(dir, 'boot.sh'), '#!/bin/bash\necho custom\n');
    const ec2 = fakeEc2();
    const ctx = makeContext({ instance: { userDataFile: 'boot.sh' } }, { configDir: dir });
    await instancesResource().create(ctx);
    assert.equal(
      Buffer.from(ec2.of('RunInstances')[0].get('UserData')!, 'base64').toString(),
      '#!/bin/bash\necho custom\n',
    );

    const missing = makeContext({ instance: { userDataFile: 'nope.sh' } }, { configDir: dir });
    await assert.rejects(instancesResource().create(missing), (error: any) => {
      assert.equal(error.code, 'USER_DATA_FILE_NOT_FOUND');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /nope\.sh/);
      return true;
    });
  });
});
