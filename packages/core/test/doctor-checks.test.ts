import { strict as assert } from 'node:assert';
import { clockCheck, driftCheck, identityCheck, regionCheck } from '../src/doctor/checks.js';

const AWS_NOW = 'Tue, 01 Dec 2026 12:00:00 GMT';
const at = (seconds: number) => Date.parse(AWS_NOW) + seconds * 1000;

describe('doctor: the core checks decide', () => {
  it('clock: pass within 2 minutes of AWS, warn up to 5, fail past 5 (SigV4 refuses), warn without a Date', () => {
    assert.equal(clockCheck(at(1), AWS_NOW).status, 'pass');
    assert.equal(clockCheck(at(-120), AWS_NOW).status, 'pass');
    const warn = clockCheck(at(200), AWS_NOW);
    assert.equal(warn.status, 'warn');
    assert.match(warn.message, /200 s ahead of AWS/);
    const fail = clockCheck(at(-301), AWS_NOW);
    assert.equal(fail.status, 'fail');
    assert.match(fail.message, /301 s behind AWS/);
    assert.match(fail.fix ?? '', /timedatectl set-ntp true/);
    assert.equal(clockCheck(at(0), undefined).status, 'warn');
  });

  it('credentials: the identity on success; why and how to sign in on failure', () => {
    const ok = identityCheck(
      { arn: 'arn:aws:iam::111122223333:user/ana', account: '111122223333' },
      undefined,
      undefined,
    );
    assert.deepEqual([ok.status, ok.fix], ['pass', undefined]);
    assert.match(ok.message, /user\/ana \(account 111122223333\)/);
    const expired = identityCheck(undefined, Object.assign(new Error('x'), { name: 'ExpiredToken' }), 'work');
    assert.equal(expired.status, 'fail');
    assert.match(expired.message, /expired/);
    assert.match(expired.fix ?? '', /aws sso login --profile work/);
    const none = identityCheck(
      undefined,
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      undefined,
    );
    assert.match(none.message, /Could not load credentials/);
    assert.match(none.fix ?? '', /aws configure/);
  });

  it('drift: pass when all is kept; names what differs (not what merely follows it); says when nothing exists', () => {
    const step = (resourceId: string, action: string, reason = '', changes: unknown[] = []) =>
      ({ resourceId, title: resourceId, action, reason, changes }) as Parameters<
        typeof driftCheck
      >[0][number];
    assert.equal(driftCheck([step('a', 'keep'), step('b', 'read')], 'site deploy').status, 'pass');
    const drift = driftCheck(
      [
        step('network.instance-security-group', 'update', 'SSH ingress (tcp/22): a → b', [
          { field: 'SSH', from: 'a', to: 'b' },
        ]),
        step('compute.instances', 'update', 'follows the update of network.instance-security-group'),
      ],
      'site deploy --sandbox',
    );
    assert.equal(drift.status, 'warn');
    assert.match(drift.message, /instance-security-group.*SSH ingress \(tcp\/22\): a → b/);
    assert.doesNotMatch(drift.message, /compute\.instances/);
    assert.match(drift.fix ?? '', /`site deploy --sandbox`.*`site plan --sandbox`/);
    const fresh = driftCheck([step('a', 'create'), step('b', 'read')], 'site deploy');
    assert.deepEqual([fresh.status, fresh.message], ['warn', 'Nothing of this site exists yet.']);
    const gone = driftCheck([step('a', 'keep'), step('b', 'create', 'not found')], 'site deploy');
    assert.match(gone.message, /b \(b\) is missing: not found/);
  });

  it('region: pass when the type is offered in two zones or more, warn in one, fail in none', () => {
    const pass = regionCheck('eu-west-1', 't3.micro', ['eu-west-1a', 'eu-west-1b']);
    assert.equal(pass.status, 'pass');
    assert.match(pass.message, /offers t3\.micro in 2 zones \(eu-west-1a, eu-west-1b\)/);
    assert.equal(regionCheck('eu-west-1', 't3.micro', ['eu-west-1a']).status, 'warn');
    const none = regionCheck('eu-west-1', 'p5.48xlarge', []);
    assert.equal(none.status, 'fail');
    assert.match(none.fix ?? '', /instance\.type/);
  });
});
