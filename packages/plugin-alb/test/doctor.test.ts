import { strict as assert } from 'node:assert';
import { quotaCheck } from '../src/doctor.js';

const use = { limit: 'application-load-balancers', noun: 'Application Load Balancers', region: 'eu-west-1' };

describe('alb doctor: quota headroom for what the configuration asks', () => {
  it('passes with room, counting the site’s own load balancer when it does not exist yet', () => {
    const check = quotaCheck({ ...use, max: 50, used: 3, needed: 1 });
    assert.equal(check.status, 'pass');
    assert.match(check.message, /3 of 50 .* this site needs 1 more: 46 left/);
  });

  it('warns when one or none would be left, fails when the site cannot get one', () => {
    assert.equal(quotaCheck({ ...use, max: 50, used: 48, needed: 1 }).status, 'warn');
    assert.equal(quotaCheck({ ...use, max: 50, used: 50, needed: 0 }).status, 'warn');
    const full = quotaCheck({ ...use, max: 50, used: 50, needed: 1 });
    assert.equal(full.status, 'fail');
    assert.match(full.fix ?? '', /Service Quotas console \(Elastic Load Balancing, eu-west-1\)/);
  });

  it('warns when the quota could not be read', () => {
    assert.equal(quotaCheck({ ...use, max: undefined, used: 0, needed: 1 }).status, 'warn');
  });
});
