import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import { ACMClient, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { profiles, startSimulator, type Simulator } from '@site-cli/aws-sim';
import { interruptSite, runSite, tempProject } from './run-site.js';

/**
 * @site-cli/plugin-domain end to end on aws-sim: a site with a domain answers https://<name>/ with its page and
 * http://<name>/ with a 301 to it (asked as a browser would: Host and SNI of the name, the certificate verified
 * against the simulator's CA), a user's record stops the deploy until takeOver, Ctrl-C while ACM issues is resumed
 * by the next deploy, and destroy leaves the hosted zone as it found it.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ZONE = 'example-cafe.com';

/** One GET of `/` as a browser on `host` would send it, to the load balancer's loopback port. */
function get(
  url: string,
  host: string,
  ca?: string,
): Promise<{ status?: number; location?: string; body: string }> {
  const target = new URL(url);
  const secure = ca !== undefined;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        hostname: target.hostname,
        port: target.port,
        path: '/',
        headers: { Host: host },
        ...(secure ? { servername: host, ca } : {}),
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, location: response.headers.location, body }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function setup(options: { acmIssueMs?: number } = {}) {
  const state = {} as {
    sim: Simulator;
    project: ReturnType<typeof tempProject>;
    env: NodeJS.ProcessEnv;
    route53: Route53Client;
    acm: ACMClient;
    zoneId: string;
  };
  before(async () => {
    state.sim = await startSimulator({
      profile: { ...profiles.fast, ...(options.acmIssueMs ? { acmIssueMs: options.acmIssueMs } : {}) },
      seed: 16,
      hostedZones: [ZONE],
    });
    state.project = tempProject();
    state.env = {
      ...state.project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: state.sim.endpoint,
      SITE_CHECKIP_URL: `${state.sim.endpoint}/_sim/checkip`,
      SITE_SIMULATOR_ENDPOINT: state.sim.endpoint,
    };
    state.route53 = new Route53Client({ region: 'us-east-1', endpoint: state.sim.endpoint, credentials });
    state.acm = new ACMClient({ region: 'us-east-1', endpoint: state.sim.endpoint, credentials });
    const { HostedZones = [] } = await state.route53.send(
      new ListHostedZonesByNameCommand({ DNSName: ZONE }),
    );
    state.zoneId = HostedZones[0]!.Id!.replace('/hostedzone/', '');
  });
  after(async () => state.sim?.stop());
  return state;
}

const site = (state: ReturnType<typeof setup>, ...args: string[]) =>
  runSite(args, { cwd: state.project.dir, env: state.env });
const configure = (state: ReturnType<typeof setup>, name: string, domain: string) =>
  writeFileSync(path.join(state.project.dir, 'site.config.yaml'), `name: ${name}\ndomain: ${domain}\n`);
const recordSets = async (state: ReturnType<typeof setup>): Promise<ResourceRecordSet[]> =>
  (await state.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: state.zoneId })))
    .ResourceRecordSets ?? [];
const zoneKey = (s: ResourceRecordSet) =>
  `${s.Name} ${s.Type} ${JSON.stringify(s.ResourceRecords ?? s.AliasTarget)}`;
async function certificatesOf(state: ReturnType<typeof setup>, name: string): Promise<string[]> {
  const { CertificateSummaryList = [] } = await state.acm.send(new ListCertificatesCommand({}));
  const ours: string[] = [];
  for (const c of CertificateSummaryList) {
    const { Tags = [] } = await state.acm.send(
      new ListTagsForCertificateCommand({ CertificateArn: c.CertificateArn }),
    );
    if (Tags.some((t) => t.Key === 'site:name' && t.Value === name)) ours.push(c.CertificateArn!);
  }
  return ours;
}

describe('plugin-domain on the simulator', function () {
  this.timeout(180_000);

  describe('deploy, answer over HTTPS, destroy', () => {
    const state = setup();

    it('answers https://<name>/ with the page and http:// with a 301; destroy leaves the zone as found', async () => {
      const found = await recordSets(state);
      configure(state, 'dom-cafe', `{ name: www.${ZONE}, aliases: [${ZONE}] }`);
      const deploy = await site(state, 'deploy', '--yes', '--json');
      assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
      const result = JSON.parse(deploy.stdout).result;
      const check = result.resources['domain.site-https'];
      assert.equal(check.url, `https://www.${ZONE}/`);
      assert.equal(check.answer, 'https 200, http 301');

      // As a browser would see it.
      const lb = result.resources['alb.load-balancer'];
      const ca = state.sim.certificateAuthority();
      for (const host of [`www.${ZONE}`, ZONE]) {
        const page = await get(state.sim.dataPlaneUrl(lb.dnsName, 443)!, host, ca);
        assert.equal(page.status, 200, host);
        assert.match(page.body, /<title>[^<]*Barista/i);
        const redirect = await get(state.sim.dataPlaneUrl(lb.dnsName, 80)!, host);
        assert.equal(redirect.status, 301);
        assert.match(redirect.location ?? '', new RegExp(`^https://${host.replace(/\./g, '\\.')}(:443)?/$`));
      }
      // The load balancer's own name still forwards over HTTP (alb.site-health checks the instances that way).
      const direct = await get(state.sim.dataPlaneUrl(lb.dnsName, 80)!, 'x.elb.invalid');
      assert.equal(direct.status, 200);

      const sets = await recordSets(state);
      for (const host of [`www.${ZONE}.`, `${ZONE}.`])
        assert.ok(
          sets.some((s) => s.Name === host && s.Type === 'A' && s.AliasTarget),
          `alias A ${host}`,
        );
      assert.equal((await certificatesOf(state, 'dom-cafe')).length, 1);

      const again = await site(state, 'deploy', '--yes', '--json');
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).result.changed, false);

      const destroy = await site(state, 'destroy', '--yes', '--json');
      assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
      assert.deepEqual((await recordSets(state)).map(zoneKey).sort(), found.map(zoneKey).sort());
      assert.deepEqual(await certificatesOf(state, 'dom-cafe'), []);
    });

    it('taking domain out of a deployed site deletes what it made: the plan says so, the zone is as found', async () => {
      const found = await recordSets(state);
      configure(state, 'dom-drop', `{ name: drop.${ZONE} }`);
      const deploy = await site(state, 'deploy', '--yes', '--json');
      assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
      const lb = JSON.parse(deploy.stdout).result.resources['alb.load-balancer'];

      writeFileSync(path.join(state.project.dir, 'site.config.yaml'), 'name: dom-drop\n');
      const plan = await site(state, 'plan', '--json');
      assert.equal(plan.code, 3, plan.stdout + plan.stderr);
      const steps = JSON.parse(plan.stdout).result.steps as { resourceId: string; action: string }[];
      for (const id of [
        'domain.certificate',
        'domain.validation-records',
        'domain.ingress',
        'domain.https-listener',
        'domain.http-redirect',
        'domain.records',
      ])
        assert.equal(steps.find((s) => s.resourceId === id)?.action, 'delete', id);

      const dropped = await site(state, 'deploy', '--yes', '--json');
      assert.equal(dropped.code, 0, dropped.stdout + dropped.stderr);
      assert.deepEqual((await recordSets(state)).map(zoneKey).sort(), found.map(zoneKey).sort());
      assert.deepEqual(await certificatesOf(state, 'dom-drop'), []);
      // Port 80 forwards every name again; nothing listens on 443.
      const page = await get(state.sim.dataPlaneUrl(lb.dnsName, 80)!, `drop.${ZONE}`);
      assert.equal(page.status, 200);
      assert.equal(state.sim.dataPlaneUrl(lb.dnsName, 443), undefined);

      const again = await site(state, 'deploy', '--yes', '--json');
      assert.equal(JSON.parse(again.stdout).result.changed, false);
      const destroy = await site(state, 'destroy', '--yes', '--json');
      assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
    });

    it('a user’s record at the name stops the deploy before anything is made; takeOver replaces it', async () => {
      await state.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: state.zoneId,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: `shop.${ZONE}`,
                  Type: 'A',
                  TTL: 300,
                  ResourceRecords: [{ Value: '192.0.2.80' }],
                },
              },
            ],
          },
        }),
      );
      configure(state, 'dom-shop', `{ name: shop.${ZONE} }`);
      const mutatingBefore = state.sim.mutatingCalls().length;
      const refused = await site(state, 'deploy', '--yes', '--json');
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      const error = JSON.parse(refused.stdout).error;
      assert.equal(error.code, 'DOMAIN_RECORDS_CONFLICT');
      assert.match(error.message, /A shop\.example-cafe\.com → 192\.0\.2\.80/);
      assert.deepEqual(
        state.sim
          .mutatingCalls()
          .slice(mutatingBefore)
          .map((c) => c.action),
        [],
        'nothing created',
      );

      configure(state, 'dom-shop', `{ name: shop.${ZONE}, takeOver: true }`);
      const taken = await site(state, 'deploy', '--yes', '--json');
      assert.equal(taken.code, 0, taken.stdout + taken.stderr);
      const shop = (await recordSets(state)).filter((s) => s.Name === `shop.${ZONE}.` && s.Type === 'A');
      assert.equal(shop.length, 1);
      assert.ok(shop[0]!.AliasTarget, 'the address record became the site’s alias');
      const destroy = await site(state, 'destroy', '--yes', '--json');
      assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
      assert.deepEqual(
        (await recordSets(state)).filter((s) => s.Name?.includes('shop.')),
        [],
        'nothing of shop left',
      );
    });
  });

  describe('Ctrl-C while ACM issues the certificate', () => {
    const state = setup({ acmIssueMs: 30_000 });

    it('exits 130; the next deploy resumes the wait and converges', async () => {
      configure(state, 'dom-wait', `{ name: www.${ZONE} }`);
      const interrupted = await interruptSite(['deploy', '--yes'], {
        cwd: state.project.dir,
        env: state.env,
        when: /waiting for ACM to issue/,
      });
      assert.ok(interrupted.interrupted, interrupted.stderr);
      assert.equal(interrupted.code, 130, interrupted.stderr);
      assert.equal(
        (await certificatesOf(state, 'dom-wait')).length,
        1,
        'the requested certificate is tagged, found again',
      );

      const plan = await site(state, 'plan', '--json');
      assert.equal(plan.code, 3, plan.stdout + plan.stderr);
      const steps = JSON.parse(plan.stdout).result.steps as { resourceId: string; action: string }[];
      const action = (id: string) => steps.find((s) => s.resourceId === id)?.action;
      assert.equal(action('domain.certificate'), 'keep');
      assert.equal(action('domain.validation-records'), 'update', 'the wait for issuance is picked up again');

      const resumed = await site(state, 'deploy', '--yes', '--json');
      assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
      assert.equal((await certificatesOf(state, 'dom-wait')).length, 1, 'no second certificate');
      assert.equal(
        JSON.parse(resumed.stdout).result.resources['domain.site-https'].answer,
        'https 200, http 301',
      );
      const destroy = await site(state, 'destroy', '--yes', '--json');
      assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
    });
  });
});
