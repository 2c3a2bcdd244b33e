import { strict as assert } from 'node:assert';
import {
  buildRegistry,
  createAwsClients,
  createResourceContext,
  planDeploy,
  probeDryRun,
  runPreflight,
  SiteError,
  type PreflightAction,
  type Resource,
} from '../src/index.js';
import { createTestContext } from '../src/testing/index.js';
import { interceptEc2, setUpNock, tearDownNockExpectingAllCalls } from '../src/testing/wire.js';
import { contextFactory, testConfig } from './helpers.js';

const plugin = { name: 'test-plugin', version: '1.0.0' };

/** A resource whose preflight records when it runs and may fail. */
function checked(
  id: string,
  log: string[],
  options: { exists?: boolean; changed?: boolean; fail?: SiteError } = {},
): Resource<{ id: string }> {
  return {
    id,
    title: id,
    dependsOn: [],
    iam: [],
    discover: async () => (options.exists ? { id } : undefined),
    diff: () => (options.changed ? [{ field: 'size', from: 1, to: 2 }] : []),
    update: async (_ctx, found) => found,
    create: async () => ({ id }),
    destroy: async () => {},
    async preflight(_ctx, step: { action: PreflightAction; found?: { id: string } }) {
      log.push(`start ${id} ${step.action}${step.found ? ' found' : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(`end ${id}`);
      if (options.fail) throw options.fail;
    },
  };
}

async function preflightOf(resources: Resource[]) {
  const registry = buildRegistry([{ plugin, resources }]);
  const outputs = new Map<string, unknown>();
  const context = contextFactory(outputs);
  const plan = await planDeploy({ registry, outputs, context });
  return runPreflight({ registry, plan, context, signal: new AbortController().signal });
}

const denied = (action: string) =>
  new SiteError({ code: 'PREFLIGHT_DENIED', message: `AWS denies ${action}`, details: { action } });

describe('deploy preflight', () => {
  it('checks only what the plan creates, updates or replaces, all at once', async () => {
    const log: string[] = [];
    const { checked: ids } = await preflightOf([
      checked('a.new', log),
      checked('a.changed', log, { exists: true, changed: true }),
      checked('a.same', log, { exists: true }),
    ]);
    assert.deepEqual(ids.sort(), ['a.changed', 'a.new']);
    assert.deepEqual(log.slice(0, 2).sort(), ['start a.changed update found', 'start a.new create']);
    assert.ok(log.indexOf('end a.new') > 1, 'both started before either ended');
  });

  it('makes no check at all when nothing changes', async () => {
    const log: string[] = [];
    const result = await preflightOf([checked('a.same', log, { exists: true })]);
    assert.deepEqual(result.checked, []);
    assert.deepEqual(log, []);
  });

  it('reports one failure with its own code, naming the resource', async () => {
    const error = await preflightOf([checked('a.new', [], { fail: denied('ec2:RunInstances') })]).catch(
      (e) => e,
    );
    assert.equal(error.code, 'PREFLIGHT_DENIED');
    assert.match(error.message, /^Preflight of a\.new: AWS denies ec2:RunInstances/);
    assert.deepEqual(error.details, { action: 'ec2:RunInstances', resourceId: 'a.new' });
  });

  it('collects every failure into one error', async () => {
    const error = await preflightOf([
      checked('a.one', [], { fail: denied('ec2:RunInstances') }),
      checked('a.two', [], { fail: new SiteError({ code: 'QUOTA_REACHED', message: 'full' }) }),
      checked('a.fine', []),
    ]).catch((e) => e);
    assert.equal(error.code, 'PREFLIGHT_FAILED');
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /2 checks failed/);
    assert.deepEqual(
      error.details.failures.map((f: { resourceId: string; code: string }) => `${f.resourceId} ${f.code}`),
      ['a.one PREFLIGHT_DENIED', 'a.two QUOTA_REACHED'],
    );
  });
});

describe('ctx.dryRun', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNockExpectingAllCalls);

  const launch = async (ctx: ReturnType<typeof createTestContext>['ctx']) => {
    const ec2 = await ctx.aws.ec2();
    return ctx.dryRun(['ec2:RunInstances', 'ec2:CreateTags'], () =>
      ec2.runInstances({ ImageId: 'ami-1', MinCount: 1, MaxCount: 1, DryRun: true }),
    );
  };

  it('passes on DryRunOperation, sending DryRun=true', async () => {
    const calls = interceptEc2('RunInstances', {
      error: 'DryRunOperation',
      message: 'Request would have succeeded, but DryRun flag is set.',
      status: 412,
    });
    await launch(createTestContext().ctx);
    assert.equal(calls[0]!.params.DryRun, 'true');
  });

  it('turns UnauthorizedOperation into PREFLIGHT_DENIED naming every action AWS checked', async () => {
    interceptEc2('RunInstances', { error: 'UnauthorizedOperation', status: 403 });
    const error = await launch(createTestContext().ctx).catch((e) => e);
    assert.equal(error.code, 'PREFLIGHT_DENIED');
    assert.deepEqual(error.details, {
      action: 'ec2:RunInstances',
      actions: ['ec2:RunInstances', 'ec2:CreateTags'],
    });
    assert.match(error.message, /ec2:RunInstances or ec2:CreateTags/);
    assert.match(error.suggestions[0], /site iam-policy/);
  });

  it('lets any other error through (a parameter AWS rejects)', async () => {
    interceptEc2('RunInstances', { error: 'InvalidAMIID.NotFound' });
    const error = await launch(createTestContext().ctx).catch((e) => e);
    assert.equal(error.name, 'InvalidAMIID.NotFound');
  });

  it('does not call an endpoint that ignores DryRun', async () => {
    const ctx = createResourceContext({
      config: testConfig(),
      aws: createAwsClients({ region: 'us-east-1', endpoint: 'http://aws.test', maxAttempts: 1 }),
      honoursDryRun: async () => false,
    });
    await launch(ctx);
  });
});

describe('probeDryRun', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNockExpectingAllCalls);

  const clients = (endpoint?: string) =>
    createAwsClients({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  const warnings: string[] = [];
  const log = { info: () => {}, debug: () => {}, warn: (m: string) => warnings.push(m) };

  it('trusts AWS itself and the sandbox without a call', async () => {
    assert.equal(await probeDryRun(clients(), { log }), true);
    assert.equal(await probeDryRun(clients('http://aws.test'), { simulator: true, log }), true);
  });

  it('asks another endpoint once with a harmless DryRun look-up', async () => {
    const calls = interceptEc2('DescribeVpcs', { error: 'DryRunOperation', status: 412 });
    assert.equal(await probeDryRun(clients('http://aws.test'), { log }), true);
    assert.equal(calls[0]!.params.DryRun, 'true');
  });

  it('skips the permission checks, with a warning, where DryRun is ignored', async () => {
    interceptEc2('DescribeVpcs', '<vpcSet/>');
    warnings.length = 0;
    assert.equal(await probeDryRun(clients('http://aws.test'), { log }), false);
    assert.match(warnings[0]!, /ignores DryRun/);
  });
});
