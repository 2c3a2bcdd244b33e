import { strict as assert } from 'node:assert';
import type { PluginApi } from '@site-cli/core/plugin';
import { z } from '@site-cli/core/testing';
import { checkSettings, fqdnProblem, inZone, MAX_ALIASES } from '../src/config.js';
import configSchemaHook from '../src/hooks/config-schema.js';
import { context } from './helpers.js';

const runtime = { z } as unknown as PluginApi;
const schema = async () => (await configSchemaHook({ runtime } as never))!.schema;
const problems = async (input: unknown) => {
  const result = (await schema()).safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the domain configuration section', () => {
  it('is the `domain` key; names are normalised (case, trailing dot) and aliases default to none', async () => {
    const answer = await configSchemaHook({ runtime } as never);
    assert.equal(answer?.key, 'domain');
    assert.deepEqual(answer!.schema.parse({ name: 'WWW.Example-Cafe.com.' }), {
      name: 'www.example-cafe.com',
      aliases: [],
      takeOver: false,
    });
  });

  it('refuses what is not a fully qualified domain name, saying why', async () => {
    const cases: [string, RegExp][] = [
      ['www', /single label/],
      ['https://www.example-cafe.com/', /a URL/],
      ['www..example-cafe.com', /empty label/],
      ['-www.example-cafe.com', /label "-www"/],
      ['www_1.example-cafe.com', /label "www_1"/],
      ['*.example-cafe.com', /wildcards/],
      ['192.0.2.10', /IP address/],
      [`${'a'.repeat(64)}.example.com`, /label "a{64}"/],
    ];
    for (const [name, why] of cases) {
      assert.match(fqdnProblem(name) ?? 'accepted', why, name);
      assert.match(
        (await problems({ name }))[0] ?? 'accepted',
        /^name: the host name: a fully qualified domain name/,
        name,
      );
    }
    for (const name of [
      'www.example-cafe.com',
      'example-cafe.com',
      'xn--caf-dma.example',
      'a-b.c-d.example.co.uk',
    ])
      assert.equal(fqdnProblem(name), undefined, name);
  });

  it('keeps the name within ACM’s 64-character Common Name; longer names may be aliases', async () => {
    const long = `${'a'.repeat(60)}.example-cafe.com`;
    assert.match((await problems({ name: long }))[0], /^name: at most 64 characters/);
    assert.deepEqual(await problems({ name: 'www.example-cafe.com', aliases: [long] }), []);
  });

  it(`allows at most ${MAX_ALIASES} aliases (ACM: 10 names per certificate), each once`, async () => {
    const aliases = Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}.example-cafe.com`);
    assert.match(
      (await problems({ name: 'www.example-cafe.com', aliases }))[0],
      /^aliases: at most 9 aliases: an ACM certificate holds 10 names/,
    );
    assert.deepEqual(
      await problems({ name: 'www.example-cafe.com', aliases: aliases.slice(0, MAX_ALIASES) }),
      [],
    );
    assert.match(
      (await problems({ name: 'www.example-cafe.com', aliases: ['WWW.example-cafe.com'] }))[0],
      /^aliases\.0: each name once/,
    );
  });

  it('with a zone named, every name must be inside it', async () => {
    assert.deepEqual(
      await problems({
        name: 'www.example-cafe.com',
        zone: 'example-cafe.com',
        aliases: ['example-cafe.com'],
      }),
      [],
    );
    assert.deepEqual(
      await problems({ name: 'www.example-cafe.com', zone: 'example.org', aliases: ['cafe.example.org'] }),
      [
        "name: a name inside the zone example.org (ending in .example.org): Route 53 holds a zone's own names only",
      ],
    );
    // notexample-cafe.com ends in "example-cafe.com" but is not inside it.
    assert.equal(inZone('notexample-cafe.com', 'example-cafe.com'), false);
    assert.equal(inZone('a.b.example-cafe.com.', 'Example-Cafe.com'), true);
  });

  it('takes an ACM certificate ARN only', async () => {
    assert.match(
      (
        await problems({
          name: 'www.example-cafe.com',
          certificateArn: 'arn:aws:iam::123456789012:server-certificate/x',
        })
      )[0],
      /^certificateArn: an ACM certificate ARN/,
    );
  });

  it('refuses, with exit 2, both domain and https on 443, alb.port 443, and a certificate of another region', () => {
    const refused = (config: Record<string, unknown>, code: string, pattern: RegExp) => {
      const ctx = context(config);
      assert.throws(
        () => checkSettings(ctx),
        (error: { code?: string; exitCode?: number; message: string }) =>
          error.code === code && error.exitCode === 2 && pattern.test(error.message),
      );
    };
    const domain = { name: 'www.example-cafe.com' };
    // The core keeps unknown sections out of a config, so `https` is put on the parsed one as the https plugin's would be.
    const ctx = context({ domain });
    const withHttps = {
      ...ctx,
      config: {
        ...ctx.config,
        https: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
      },
    };
    assert.throws(
      () => checkSettings(withHttps as never),
      (error: { code?: string; exitCode?: number; message: string }) =>
        error.code === 'HTTPS_DOMAIN_CONFLICT' &&
        error.exitCode === 2 &&
        /plugin-domain.*plugin-https/.test(error.message),
    );
    refused({ domain, alb: { port: 443 } }, 'DOMAIN_PORT_CONFLICT', /alb\.port is 443/);
    refused(
      { domain: { ...domain, certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } },
      'DOMAIN_CERTIFICATE_REGION',
      /in eu-west-1, but the site is in us-east-1/,
    );
  });
});
