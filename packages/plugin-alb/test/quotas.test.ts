import { strict as assert } from 'node:assert';
import { checkQuota, countLoadBalancers, countTargetGroups } from '../src/quotas.js';
import { ELB, elbResponse, makeContext } from './fixtures.js';
import { fakeQueryService, setUpNock, tearDownNock } from '@site-cli/core/testing';

/** Elastic Load Balancing answers in pages: `pages[i]` is the members of page i, NextMarker leads to the next. */
function paged(action: string, list: string, pages: string[][]) {
  return (params: URLSearchParams) => {
    const page = Number(params.get('Marker') ?? 0);
    const next = page + 1 < pages.length ? `<NextMarker>${page + 1}</NextMarker>` : '';
    return elbResponse(action, `<${list}>${pages[page].join('')}</${list}>${next}`);
  };
}

const loadBalancer = (name: string, type: string) =>
  `<member><LoadBalancerName>${name}</LoadBalancerName><Type>${type}</Type></member>`;
const targetGroup = (name: string) => `<member><TargetGroupName>${name}</TargetGroupName></member>`;
const limit = (name: string, max: number) => `<member><Name>${name}</Name><Max>${max}</Max></member>`;

describe('alb quotas (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('counts the application load balancers of every page, 400 a page, network ones not', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeLoadBalancers: paged('DescribeLoadBalancers', 'LoadBalancers', [
        [loadBalancer('a', 'application'), loadBalancer('n', 'network')],
        [loadBalancer('b', 'application')],
      ]),
    });
    assert.equal(await countLoadBalancers(makeContext()), 2);
    const calls = elb.of('DescribeLoadBalancers');
    assert.deepEqual(
      calls.map((c) => [c.get('Marker'), c.get('PageSize')]),
      [
        [null, '400'],
        ['1', '400'],
      ],
    );
  });

  it('counts the target groups of every page', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeTargetGroups: paged('DescribeTargetGroups', 'TargetGroups', [
        [targetGroup('a')],
        [targetGroup('b'), targetGroup('c')],
        [targetGroup('d')],
      ]),
    });
    assert.equal(await countTargetGroups(makeContext()), 4);
    assert.equal(elb.of('DescribeTargetGroups').length, 3);
  });

  it('finds a quota on a later page of DescribeAccountLimits and stops at it', async () => {
    fakeQueryService(ELB, {
      DescribeAccountLimits: paged('DescribeAccountLimits', 'Limits', [
        [limit('application-load-balancers', 50)],
        [limit('target-groups', 2)],
      ]),
    });
    await assert.rejects(
      checkQuota(makeContext(), { limit: 'target-groups', noun: 'target groups', count: async () => 2 }),
      (error: { code?: string; message?: string }) =>
        error.code === 'QUOTA_REACHED' && /quota \(target-groups\) is 2/.test(error.message ?? ''),
    );
  });
});
