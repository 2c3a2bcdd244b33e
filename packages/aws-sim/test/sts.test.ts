import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSimulator, type Simulator } from '../src/index.js';
import { failure } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('STS GetCallerIdentity', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  const sts = (s: Simulator, accessKeyId = 'test') =>
    new STSClient({
      endpoint: s.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'test' },
      maxAttempts: 1,
    });

  it('answers the account and the calling user, through the SDK, with a Date header', async () => {
    sim = await startSimulator({ profile: 'fast', seed: 1, accountId: '210987654321' });
    const answer = await sts(sim).send(new GetCallerIdentityCommand({}));
    assert.equal(answer.Account, '210987654321');
    assert.equal(answer.Arn, 'arn:aws:iam::210987654321:user/sim');
    assert.ok(answer.UserId);
    const call = sim.calls.at(-1)!;
    assert.deepEqual([call.service, call.action, call.status], ['sts', 'GetCallerIdentity', 200]);
    const raw = await fetch(sim.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.ok(
      raw.headers.get('date'),
      'AWS answers carry a Date header: site doctor reads the clock from it',
    );
    assert.match(await raw.text(), /<GetCallerIdentityResult><UserId>/);
  });

  it('cannot be denied (it needs no permission), but refuses credentials AWS would not accept', async () => {
    sim = await startSimulator({
      profile: 'fast',
      seed: 1,
      faults: {
        deny: { 'sts:GetCallerIdentity': 'AccessDenied' },
        rejectCredentials: { AKIDOLD: 'expired' },
      },
    });
    assert.ok((await sts(sim).send(new GetCallerIdentityCommand({}))).Account);
    const expired = await failure(() => sts(sim!, 'AKIDOLD').send(new GetCallerIdentityCommand({})));
    assert.equal(expired.name, 'ExpiredToken');
    assert.equal(expired.$metadata.httpStatusCode, 403);
  });
});
