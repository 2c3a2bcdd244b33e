import { strict as assert } from 'node:assert';
import { sshRuleCheck } from '../src/security-groups/doctor.js';

const DEPLOY = 'site deploy --config prod.yaml';

describe('network doctor: the SSH rule against where SSH should come from', () => {
  it('passes when the rule is your current address', () => {
    const check = sshRuleCheck('203.0.113.7/32', { sshCidr: '203.0.113.7/32', source: 'detected' }, DEPLOY);
    assert.equal(check.status, 'pass');
  });

  it('fails when your IP changed, offering the exact deploy that moves the rule', () => {
    const check = sshRuleCheck('203.0.113.7/32', { sshCidr: '198.51.100.9/32', source: 'detected' }, DEPLOY);
    assert.equal(check.status, 'fail');
    assert.match(
      check.message,
      /allows 203\.0\.113\.7\/32, but your current public IP is 198\.51\.100\.9\/32/,
    );
    assert.equal(check.fix, 'Run `site deploy --config prod.yaml` to move the SSH rule to 198.51.100.9/32.');
  });

  it('fails without a rule, and names ssh.cidr when the config set it', () => {
    const missing = sshRuleCheck(null, { sshCidr: '10.0.0.0/8', source: 'config' }, DEPLOY);
    assert.equal(missing.status, 'fail');
    assert.match(missing.message, /no SSH rule.*ssh\.cidr is 10\.0\.0\.0\/8/);
  });

  it('warns when the address could not be looked up, or a rule exists though ssh.cidr is none', () => {
    assert.equal(
      sshRuleCheck('203.0.113.7/32', { sshCidr: null, source: 'lookup-failed' }, DEPLOY).status,
      'warn',
    );
    const stray = sshRuleCheck('203.0.113.7/32', { sshCidr: null, source: 'none' }, DEPLOY);
    assert.equal(stray.status, 'warn');
    assert.match(stray.fix ?? '', /remove the SSH rule/);
    assert.equal(sshRuleCheck(null, { sshCidr: null, source: 'none' }, DEPLOY).status, 'pass');
  });
});
