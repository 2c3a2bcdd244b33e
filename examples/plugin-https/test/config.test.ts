import { strict as assert } from 'node:assert';
import type { PluginApi } from '@site-cli/core/plugin';
import { z } from '@site-cli/core/testing';
import configSchemaHook from '../src/hooks/config-schema.js';
import resourcesHook from '../src/hooks/resources.js';
import { checkSettings } from '../src/config.js';
import { CERT, context } from './helpers.js';

const runtime = { z } as unknown as PluginApi;

describe('the https configuration section', () => {
  it('is the `https` key, built with the zod the runtime hands over, with defaults', async () => {
    const answer = await configSchemaHook({ runtime } as never);
    assert.equal(answer?.key, 'https');
    assert.deepEqual(answer!.schema.parse({}), {
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      port: 443,
    });
    assert.deepEqual(answer!.schema.parse({ certificateArn: CERT, port: 8443 }), {
      certificateArn: CERT,
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      port: 8443,
    });
    // IAM server certificates work on listeners too.
    assert.ok(
      answer!.schema.safeParse({ certificateArn: 'arn:aws:iam::123456789012:server-certificate/cafe' })
        .success,
    );
  });

  it('says what is wrong with a bad value, and knows no other keys', async () => {
    const schema = (await configSchemaHook({ runtime } as never))!.schema;
    const messages = (input: unknown) => {
      const result = schema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    assert.match(
      messages({ certificateArn: 'arn:aws:acm:us-east-1:123:cert/x' })[0],
      /^certificateArn: an ACM certificate ARN/,
    );
    assert.match(messages({ sslPolicy: 'TLS13' })[0], /^sslPolicy: an ELB security policy name/);
    assert.match(messages({ port: 0 })[0], /^port: /);
    assert.equal(messages({ certificate: CERT }).length, 1);
  });

  it('contributes nothing until certificateArn is set, then the port, the listener and the redirect', async () => {
    const off = context({});
    assert.deepEqual(await resourcesHook({ runtime, siteConfig: off.config } as never), []);
    const on = context({ https: { certificateArn: CERT } });
    const resources = await resourcesHook({ runtime, siteConfig: on.config } as never);
    assert.deepEqual(Object.fromEntries(resources.map((r) => [r.id, [...r.dependsOn]])), {
      'https.ingress': ['network.alb-security-group'],
      'https.listener': ['alb.load-balancer', 'alb.target-group'],
      'https.redirect': [
        'alb.listener',
        'alb.load-balancer',
        'alb.target-group',
        'https.listener',
        'https.ingress',
        'alb.site-health',
      ],
    });
    for (const resource of resources)
      assert.ok(resource.iam.length > 0, `${resource.id} declares its IAM actions`);
  });

  it('refuses, before anything is created, the HTTP port or a certificate of another region (exit 2)', () => {
    assert.throws(
      () => checkSettings(context({ https: { certificateArn: CERT, port: 80 } })),
      (error: any) => error.code === 'HTTPS_PORT_CONFLICT' && error.exitCode === 2,
    );
    assert.throws(
      () => checkSettings(context({ region: 'eu-west-1', https: { certificateArn: CERT } })),
      (error: any) =>
        error.code === 'HTTPS_CERTIFICATE_REGION' && error.exitCode === 2 && /us-east-1/.test(error.message),
    );
    assert.equal(checkSettings(context({ https: { certificateArn: CERT } })).port, 443);
  });
  it('refuses with exit 2, naming both plugins, when plugin-domain also wants port 443', () => {
    const ctx = context({ https: { certificateArn: CERT } });
    // As the core gives it when @site-cli/plugin-domain is installed: its `domain` section on the parsed config.
    const both = { ...ctx, config: { ...ctx.config, domain: { name: 'www.example-cafe.com' } } };
    assert.throws(
      () => checkSettings(both as never),
      (error: { code?: string; exitCode?: number; message: string }) =>
        error.code === 'HTTPS_DOMAIN_CONFLICT' &&
        error.exitCode === 2 &&
        /plugin-https.*plugin-domain/.test(error.message),
    );
  });
});
