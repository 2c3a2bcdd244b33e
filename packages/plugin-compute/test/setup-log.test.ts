import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients, type EC2 } from '@site-cli/core';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { fixtureTemplateZip } from '@site-cli/core/testing/tooplate-mirror';
import {
  parseSetupLog,
  readConsole,
  setupLogEntries,
  supportsLatestConsole,
} from '../src/instances/setup-log.js';
import { buildUserData } from '../src/user-data.js';

describe('setup log from the console output', () => {
  it('picks the setup lines out of kernel and cloud-init lines, and names the failure', () => {
    // As a real console shows it: cloud-init prefixes the script's stdout, to_console writes the outcome raw.
    const console = [
      '[    0.000000] Linux version 6.1.112-124.190.amzn2023.x86_64',
      "[   12.104211] cloud-init[1602]: Cloud-init v. 22.2.2 running 'modules:final'",
      '[   13.550001] cloud-init[1650]: site-setup: installing httpd and unzip',
      '[   30.020000] cloud-init[1650]: Complete!',
      '[   30.500000] cloud-init[1650]: site-setup: downloading https://example.com/site.zip',
      '[   31.000000] cloud-init[1650]: SITE SETUP FAILED: could not download https://example.com/site.zip: the server answered HTTP 404',
      'SITE SETUP FAILED: could not download https://example.com/site.zip: the server answered HTTP 404',
      '[   31.200000] cloud-init[1650]: 2026-12-01 23:00:00,000 - cc_scripts_user.py[WARNING]: Failed to run module scripts_user',
    ].join('\r\n');
    const log = parseSetupLog(console);
    const failure =
      'SITE SETUP FAILED: could not download https://example.com/site.zip: the server answered HTTP 404';
    assert.deepEqual(log.lines, [
      'site-setup: installing httpd and unzip',
      'site-setup: downloading https://example.com/site.zip',
      failure,
    ]);
    assert.equal(log.failure, failure);
    assert.equal(log.done, undefined);
  });

  it('takes the last outcome: a later successful run clears an earlier failure', () => {
    const log = parseSetupLog(
      'SITE SETUP FAILED: could not start httpd (systemctl exited with status 5)\nSITE SETUP DONE: httpd serves https://example.com/a.zip\n',
    );
    assert.equal(log.failure, undefined);
    assert.equal(log.done, 'SITE SETUP DONE: httpd serves https://example.com/a.zip');
    assert.deepEqual(parseSetupLog(''), { lines: [] });
  });

  it('asks for the latest output on Nitro types only', () => {
    assert.equal(supportsLatestConsole('t3.micro'), true);
    assert.equal(supportsLatestConsole('m7g.large'), true);
    assert.equal(supportsLatestConsole('t2.micro'), false);
    assert.equal(supportsLatestConsole('m4.large'), false);
    assert.equal(supportsLatestConsole(undefined), false);
  });

  describe('against aws-sim', function () {
    this.timeout(60_000);
    let sim: Simulator;
    let server: Server;
    let ec2: EC2;
    let base: string;
    before(async () => {
      sim = await startSimulator({ profile: 'fast' });
      server = createServer((req, res) =>
        req.url === '/good.zip'
          ? // A zip with a site in it: the simulator unpacks it as the script would (an empty one fails).
            res.writeHead(200).end(fixtureTemplateZip('1_x'))
          : res.writeHead(404).end(),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      ec2 = await createAwsClients({
        region: 'us-east-1',
        endpoint: sim.endpoint,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      }).ec2();
    });
    after(async () => {
      server?.close();
      await sim?.stop();
    });

    async function launch(instanceType: string, url: string): Promise<string> {
      const { Images = [] } = await ec2.describeImages({ Owners: ['amazon'] });
      const userData = buildUserData({ template: { id: '1', name: 'x' }, source: { url } });
      const { Instances = [] } = await ec2.runInstances({
        ImageId: Images.find((i) => i.Architecture === 'x86_64')!.ImageId,
        InstanceType: instanceType as 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        UserData: Buffer.from(userData).toString('base64'),
      });
      return Instances[0]!.InstanceId!;
    }

    async function settledEntry(instanceId: string, instanceType: string) {
      for (let i = 0; i < 100; i++) {
        const [entry] = await setupLogEntries(ec2, [{ instanceId, instanceType }]);
        if (entry!.lines.some((l) => l.startsWith('SITE SETUP'))) return entry!;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail('no outcome line in the console output');
    }

    it('reads a failed setup on a Xen type (buffered output) and a good one on Nitro (latest)', async () => {
      const broken = await launch('t2.micro', `${base}/missing.zip`);
      const entry = await settledEntry(broken, 't2.micro');
      assert.equal(
        entry.failure,
        `SITE SETUP FAILED: could not download ${base}/missing.zip: the server answered HTTP 404`,
      );
      const good = await launch('t3.micro', `${base}/good.zip`);
      const goodEntry = await settledEntry(good, 't3.micro');
      assert.equal(goodEntry.failure, undefined);
      assert.equal(goodEntry.lines.at(-1), `SITE SETUP DONE: httpd serves ${base}/good.zip`);
    });

    it('falls back to the buffered output when AWS refuses Latest for a type it does not list as Xen', async () => {
      const id = await launch('t2.micro', `${base}/missing.zip`);
      // Told the wrong type, it asks with Latest first, is refused, and asks again without.
      let text = '';
      for (let i = 0; i < 100 && !text; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ({ text } = await readConsole(ec2, id, 't3.micro'));
      }
      assert.match(text, /Linux version/);
    });
  });
});
