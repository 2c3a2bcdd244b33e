import { strict as assert } from 'node:assert';
import {
  ELBV2_NAMESPACE,
  elbError,
  fakeQueryService,
  paramsObject,
  setUpNock,
  tearDownNock,
  TEST_ENDPOINT,
} from '@site-cli/core/testing';
import { httpsListenerResource } from '../src/resources/listener.js';
import { CERT, context } from './helpers.js';

const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cafe-alb/0123456789abcdef';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cafe-tg/0123456789abcdef';
const LISTENER_ARN = `${LB_ARN.replace(':loadbalancer/', ':listener/')}/fedcba9876543210`;

const answer = (action: string, result: string) =>
  `<${action}Response xmlns="${ELBV2_NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;

const outputs = () =>
  new Map<string, unknown>([
    ['alb.load-balancer', { loadBalancerArn: LB_ARN, loadBalancerName: 'cafe-alb', dnsName: 'cafe.test' }],
    ['alb.target-group', { targetGroupArn: TG_ARN, targetGroupName: 'cafe-tg' }],
  ]);

/** What the SDK sends and how AWS's answers come back to the user, at the HTTP level. */
describe('https.listener (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('sends the certificate, the policy, the forward and the site tags in one CreateListener', async () => {
    const elb = fakeQueryService(TEST_ENDPOINT, {
      CreateListener: () =>
        answer(
          'CreateListener',
          `<Listeners><member><ListenerArn>${LISTENER_ARN}</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol>` +
            `<Certificates><member><CertificateArn>${CERT}</CertificateArn></member></Certificates>` +
            `<SslPolicy>ELBSecurityPolicy-TLS13-1-2-2021-06</SslPolicy>` +
            `<DefaultActions><member><Type>forward</Type><TargetGroupArn>${TG_ARN}</TargetGroupArn></member></DefaultActions></member></Listeners>`,
        ),
    });
    const ctx = context({ https: { certificateArn: CERT } }, { outputs: outputs() });
    const created = await httpsListenerResource().create(ctx);
    assert.equal(created.certificateArn, CERT);
    const sent = paramsObject(elb.of('CreateListener')[0]);
    assert.deepEqual(Object.fromEntries(Object.entries(sent).filter(([key]) => !key.startsWith('Tags.'))), {
      Action: 'CreateListener',
      Version: '2015-12-01',
      LoadBalancerArn: LB_ARN,
      Protocol: 'HTTPS',
      Port: '443',
      'Certificates.member.1.CertificateArn': CERT,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'DefaultActions.member.1.Type': 'forward',
      'DefaultActions.member.1.TargetGroupArn': TG_ARN,
    });
    const tags = Object.fromEntries(
      Object.entries(sent)
        .filter(([key]) => /^Tags\.member\.\d+\.Key$/.test(key))
        .map(([key, value]) => [value, sent[key.replace('.Key', '.Value')]]),
    );
    assert.deepEqual(tags, {
      Name: 'cafe-https-443',
      'site:name': 'cafe',
      'site:resource': 'https.listener',
      ManagedBy: 'site',
    });
  });

  it('turns CertificateNotFound into an error that names the key and how to check the certificate', async () => {
    fakeQueryService(TEST_ENDPOINT, {
      CreateListener: () => elbError('CertificateNotFound', `Certificate '${CERT}' not found`),
    });
    const ctx = context({ https: { certificateArn: CERT } }, { outputs: outputs() });
    await assert.rejects(httpsListenerResource().create(ctx), (error: any) => {
      assert.equal(error.code, 'HTTPS_CERTIFICATE_NOT_FOUND');
      assert.match(error.message, /https\.certificateArn/);
      assert.match(error.suggestions[0], /aws acm describe-certificate/);
      return true;
    });
  });

  it('refuses a listener on the HTTPS port that is not ours, at plan time (exit 2)', async () => {
    fakeQueryService(TEST_ENDPOINT, {
      DescribeListeners: () =>
        answer(
          'DescribeListeners',
          `<Listeners><member><ListenerArn>${LISTENER_ARN}</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol></member></Listeners>`,
        ),
      DescribeTags: () =>
        answer(
          'DescribeTags',
          `<TagDescriptions><member><ResourceArn>${LISTENER_ARN}</ResourceArn><Tags><member><Key>team</Key><Value>web</Value></member></Tags></member></TagDescriptions>`,
        ),
    });
    const ctx = context({ https: { certificateArn: CERT } }, { outputs: outputs() });
    await assert.rejects(httpsListenerResource().discover(ctx), (error: any) => {
      assert.equal(error.code, 'HTTPS_LISTENER_CONFLICT');
      assert.equal(error.exitCode, 2);
      return true;
    });
  });
});
