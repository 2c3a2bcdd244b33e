import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { BIN, runSite, tempProject, type SiteRun } from './run-site.js';
import { liveResources, siteResources } from './sim-state.js';
import { generateEdges, loadPublishedSchema, packEdges } from './bad-input-edges.js';

/**
 * Bad input through config files, flags and the environment, each against the built `site` binary:
 * one clear message naming the problem and the fix; exit 2 when the tool can refuse before calling
 * AWS (and then the simulator saw no mutating call — for config errors no call at all); exit 1 for
 * refusals from AWS.
 */

interface BadInput {
  what: string;
  /** Project files: path → content; null makes a folder. */
  files?: Record<string, string | null>;
  args: string[];
  /** Environment on top of the suite's; undefined unsets a variable. */
  env?: Record<string, string | undefined>;
  /** Run as this user (root reads and writes anything, so permission cases run as nobody). */
  asNobody?: boolean;
  /** Prepare the project folder (permissions). */
  setup?: (dir: string) => void;
  exit: 1 | 2;
  code: string;
  /** Each must match the error message: the problem, where it is, the value. */
  message: RegExp[];
  /** Must match the message or a suggestion: how to fix it. */
  fix: RegExp;
  /** 'none': refused before any AWS call; 'no-change': AWS was asked, nothing was changed. */
  aws: 'none' | 'no-change';
  /** Extra checks on the project afterwards. */
  after?: (dir: string) => void;
}

const NOBODY = 65534;
const YAML = (text: string) => ({ 'site.config.yaml': text });

const cases: BadInput[] = [
  // --- domain (@site-cli/plugin-domain)
  {
    what: 'a domain name that is not fully qualified',
    files: YAML('name: cafe\ndomain: { name: www }\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: domain\.name: found "www"/],
    fix: /a fully qualified domain name such as www\.example-cafe\.com \(it has a single label/,
    aws: 'none',
  },
  {
    what: 'a domain alias outside the zone named',
    files: YAML(
      'name: cafe\ndomain: { name: www.example-cafe.com, zone: example-cafe.com, aliases: [cafe.example.org] }\n',
    ),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/domain\.aliases\.0: found "cafe\.example\.org"/],
    fix: /a name inside the zone example-cafe\.com \(ending in \.example-cafe\.com\)/,
    aws: 'none',
  },
  {
    what: 'more domain aliases than an ACM certificate holds',
    files: YAML(
      `name: cafe\ndomain: { name: www.example-cafe.com, aliases: [${Array.from({ length: 10 }, (_, i) => `a${i}.example-cafe.com`).join(', ')}] }\n`,
    ),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/domain\.aliases: found \["a0\.example-cafe\.com"/],
    fix: /at most 9 aliases: an ACM certificate holds 10 names by default/,
    aws: 'none',
  },
  {
    what: 'a domain no hosted zone of the account holds',
    files: YAML('name: cafe\ndomain: { name: www.example-cafe.com }\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'DOMAIN_ZONE_NOT_FOUND',
    message: [
      /No hosted zone in this account holds www\.example-cafe\.com: site looked for www\.example-cafe\.com, example-cafe\.com/,
    ],
    fix: /aws route53 create-hosted-zone --name example-cafe\.com/,
    aws: 'no-change',
  },
  // --- names
  {
    what: 'a name with characters AWS names cannot take',
    files: YAML('name: Barista_Cafe!\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: name: found "Barista_Cafe!"/],
    fix: /expected lowercase letters, digits and hyphens/,
    aws: 'none',
  },
  {
    what: 'a name longer than 28 characters',
    files: YAML(`name: ${'a'.repeat(29)}\n`),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found "a{29}"/],
    fix: /at most 28 characters \(load balancer and target group names derive from it\)/,
    aws: 'none',
  },
  {
    what: 'a name with a leading hyphen',
    files: YAML('name: -cafe\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found "-cafe"/],
    fix: /not starting or ending with a hyphen/,
    aws: 'none',
  },
  {
    what: 'a name with a trailing hyphen',
    files: YAML('name: cafe-\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found "cafe-"/],
    fix: /not starting or ending with a hyphen/,
    aws: 'none',
  },
  {
    what: 'an empty name',
    files: YAML('name: ""\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found ""/],
    fix: /a site name of 1 to 28 characters/,
    aws: 'none',
  },
  {
    what: 'a bad name from SITE_NAME',
    args: ['plan'],
    env: { SITE_NAME: 'My Site' },
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/environment SITE_NAME: name: found "My Site"/],
    fix: /lowercase letters, digits and hyphens/,
    aws: 'none',
  },
  // --- ports and numbers
  {
    what: 'port 0',
    files: YAML('alb:\n  port: 0\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.port: found 0/],
    fix: /expected a number at least 1/,
    aws: 'none',
  },
  {
    what: 'port 70000',
    files: YAML('alb:\n  port: 70000\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.port: found 70000/],
    fix: /expected a number at most 65535/,
    aws: 'none',
  },
  {
    what: 'a port that is a word',
    files: YAML('alb:\n  port: http\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.port: found "http"/],
    fix: /expected a number/,
    aws: 'none',
  },
  {
    what: 'an instance count of 0',
    files: YAML('instance:\n  count: 0\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.count: found 0/],
    fix: /at least 1/,
    aws: 'none',
  },
  {
    what: 'a health check path without a leading slash',
    files: YAML('alb:\n  healthCheck:\n    path: health\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.healthCheck\.path: found "health"/],
    fix: /a path starting with \//,
    aws: 'none',
  },
  // --- CIDRs
  {
    what: 'a malformed CIDR',
    files: YAML('ssh:\n  cidr: 10.0.0/24\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/ssh\.cidr: found "10\.0\.0\/24"/],
    fix: /auto, none, or an IPv4 or IPv6 CIDR such as 203\.0\.113\.7\/32/,
    aws: 'none',
  },
  {
    what: 'a /33',
    files: YAML('ssh:\n  cidr: 203.0.113.7/33\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/ssh\.cidr: found "203\.0\.113\.7\/33"/],
    fix: /an IPv4 or IPv6 CIDR such as 203\.0\.113\.7\/32/,
    aws: 'none',
  },
  {
    what: 'a CIDR with host bits set',
    files: YAML('ssh:\n  cidr: 198.51.100.77/24\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/ssh\.cidr: found "198\.51\.100\.77\/24"/, /has host bits set/],
    fix: /198\.51\.100\.0\/24 for the whole block, or 198\.51\.100\.77\/32 for this one address/,
    aws: 'none',
  },
  // --- instance types, AMIs, templates
  {
    what: 'a nonsense instance type',
    files: YAML('instance:\n  type: nonsense\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.type: found "nonsense"/],
    fix: /an EC2 instance type such as t2\.micro/,
    aws: 'none',
  },
  {
    what: 'an instance size EC2 does not have',
    files: YAML('instance:\n  type: t3.huge\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.type: found "t3\.huge"/],
    fix: /such as t2\.micro or m7i\.2xlarge/,
    aws: 'none',
  },
  {
    what: 'an Arm instance type with the x86_64 image',
    files: YAML('instance:\n  type: t4g.micro\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.type: found "t4g\.micro"/, /Arm \(Graviton\)/],
    fix: /set instance\.ami\.filter to "al2023-ami-2023\.\*-arm64", or choose an x86 type such as t3\.micro/,
    aws: 'none',
  },
  {
    what: 'a malformed AMI id',
    files: YAML('instance:\n  ami: ami-12xyz\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.ami: found "ami-12xyz"/],
    fix: /expected an AMI id such as ami-0123456789abcdef0/,
    aws: 'none',
  },
  {
    what: 'a template id that is not a number',
    files: YAML('template:\n  id: cafe\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/template\.id: found "cafe"/],
    fix: /a Tooplate template number such as "2137"/,
    aws: 'none',
  },
  {
    what: 'a template name with spaces and capitals',
    files: YAML('template:\n  name: Barista Cafe\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/template\.name: found "Barista Cafe"/],
    fix: /the template slug such as barista_cafe/,
    aws: 'none',
  },
  {
    what: 'a tag key of site’s own namespace',
    files: YAML('tags:\n  "site:name": other\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/tags\.site:name: found "site:name"/],
    fix: /a tag key site does not set itself \(Name, ManagedBy and site:\* are site's own/,
    aws: 'none',
  },
  // --- limits AWS publishes, and contradictions (issue 11)
  {
    what: 'a health-check timeout equal to the interval',
    files: YAML('alb:\n  healthCheck:\n    interval: 5\n    timeout: 5\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [
      /site\.config\.yaml: alb\.healthCheck\.timeout: found 5, expected a timeout less than the interval/,
    ],
    fix: /set alb\.healthCheck\.timeout to at most 4, or alb\.healthCheck\.interval to at least 6/,
    aws: 'none',
  },
  {
    what: 'a short interval with the default timeout',
    files: YAML('alb:\n  healthCheck:\n    interval: 5\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.healthCheck\.timeout: found 5, expected a timeout less than the interval \(5 s/],
    fix: /at most 4/,
    aws: 'none',
  },
  {
    what: '47 user tags (site adds its own: over AWS’s 50)',
    files: YAML(`tags:\n${Array.from({ length: 47 }, (_, i) => `  Key${i}: value\n`).join('')}`),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: tags: found .*expected at most 38 tags \(found 47\)/],
    fix: /AWS allows 50 per resource and site keeps 12 for its own/,
    aws: 'none',
  },
  {
    what: 'a user tag ManagedBy (site would overwrite it)',
    files: YAML('tags:\n  ManagedBy: platform-team\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/tags\.ManagedBy: found "ManagedBy"/],
    fix: /a tag key site does not set itself/,
    aws: 'none',
  },
  {
    what: 'a user tag Name',
    files: YAML('tags:\n  Name: my-server\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/tags\.Name: found "Name"/],
    fix: /a tag key site does not set itself/,
    aws: 'none',
  },
  {
    what: 'a tag key with AWS’s prefix in another case',
    files: YAML('tags:\n  "AWS:team": web\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/tags\.AWS:team: found "AWS:team"/],
    fix: /not starting with aws: in any case \(reserved for AWS\)/,
    aws: 'none',
  },
  {
    what: 'a tag value with a character AWS refuses',
    files: YAML('tags:\n  Team: "web;ops"\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/tags\.Team: found "web;ops"/],
    fix: /letters, digits, spaces and \+ - = \. _ : \/ @/,
    aws: 'none',
  },
  {
    what: 'template and source together',
    files: YAML('template:\n  id: "2137"\nsource:\n  url: https://example.com/site.zip\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: source: found \{"url":"https:\/\/example\.com\/site\.zip"\}/],
    fix: /either template or source, not both/,
    aws: 'none',
  },
  {
    what: 'two configuration files in one folder',
    files: { ...YAML('name: from-yaml\n'), '.siterc.json': '{ "name": "from-json" }\n' },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_AMBIGUOUS',
    message: [/Found 2 site configurations in .*: site\.config\.yaml, \.siterc\.json/],
    fix: /choose with --config, e\.g\. --config site\.config\.yaml/,
    aws: 'none',
  },
  {
    what: '--config /dev/null',
    args: ['deploy', '--yes', '--config', '/dev/null'],
    exit: 2,
    code: 'CONFIG_UNREADABLE',
    message: [/Cannot use \/dev\/null as the configuration: it is a character device, not a regular file/],
    fix: /Point --config at a site\.config\.yaml/,
    aws: 'none',
    after: () => assert.ok(!existsSync('/dev/barista-cafe-key.pem'), 'no key written beside /dev/null'),
  },
  {
    what: 'a --config that is a named pipe',
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'site.fifo')]),
    args: ['plan', '--config', 'site.fifo'],
    exit: 2,
    code: 'CONFIG_UNREADABLE',
    message: [/Cannot use site\.fifo as the configuration: it is a named pipe/],
    fix: /Point --config at a site\.config\.yaml/,
    aws: 'none',
  },
  {
    what: 'a matcher outside 200-499',
    files: YAML('alb:\n  healthCheck:\n    matcher: "200-599"\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.healthCheck\.matcher: found "200-599"/],
    fix: /HTTP codes from 200 to 499 \(an Application Load Balancer refuses 599\)/,
    aws: 'none',
  },
  {
    what: 'a health-check path with characters AWS refuses',
    files: YAML('alb:\n  healthCheck:\n    path: "/?query={__typename}"\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/alb\.healthCheck\.path: found "\/\?query=\{__typename\}"/],
    fix: /percent-encode anything else/,
    aws: 'none',
  },
  {
    what: 'a site name whose load balancer would begin with internal-',
    files: YAML('name: internal\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found "internal"/],
    fix: /does not begin with "internal"/,
    aws: 'none',
  },
  {
    what: 'a site name whose security groups would begin with sg-',
    files: YAML('name: sg-cafe\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/name: found "sg-cafe"/],
    fix: /does not begin with "sg"/,
    aws: 'none',
  },
  {
    what: 'a user data file over 16 KB',
    files: {
      ...YAML('instance:\n  userDataFile: setup.sh\n'),
      'setup.sh': `#!/bin/bash\n${'#'.repeat(16_400)}\n`,
    },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.userDataFile: found "setup\.sh", expected at most 16384 bytes/],
    fix: /EC2's limit on user data before base64/,
    aws: 'none',
  },
  {
    what: 'a user data file cloud-init would ignore',
    files: { ...YAML('instance:\n  userDataFile: setup.sh\n'), 'setup.sh': 'yum install -y httpd\n' },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.userDataFile: found "setup\.sh"/, /which cloud-init ignores/],
    fix: /its first line must start with #!/,
    aws: 'none',
  },
  {
    what: 'a user data script with Windows line endings',
    files: { ...YAML('instance:\n  userDataFile: setup.sh\n'), 'setup.sh': '#!/bin/bash\r\necho hi\r\n' },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.userDataFile: found "setup\.sh"/, /CRLF/],
    fix: /dos2unix/,
    aws: 'none',
  },
  {
    what: 'a user data file that does not exist',
    files: YAML('instance:\n  userDataFile: setup.sh\n'),
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.userDataFile: found "setup\.sh"/],
    fix: /a readable file \(.*setup\.sh: ENOENT\)/,
    aws: 'none',
  },
  // --- regions
  {
    what: 'a nonsense region in the file',
    files: YAML('region: mars-north\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: region: found "mars-north"/],
    fix: /an AWS region such as us-east-1/,
    aws: 'none',
  },
  {
    what: 'a nonsense AWS_REGION',
    args: ['plan'],
    env: { AWS_REGION: 'nowhere' },
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/environment AWS_REGION: region: found "nowhere"/],
    fix: /an AWS region such as us-east-1/,
    aws: 'none',
  },
  {
    what: 'a nonsense --region',
    args: ['deploy', '--yes', '--region', 'US-EAST-1'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/flag --region: region: found "US-EAST-1"/],
    fix: /an AWS region such as us-east-1/,
    aws: 'none',
  },
  // --- unknown keys
  {
    what: 'a misspelt top-level key',
    files: YAML('nmae: cafe\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/site\.config\.yaml: nmae: found "cafe"/],
    fix: /Did you mean "name" instead of "nmae"\?/,
    aws: 'none',
  },
  {
    what: 'a misspelt nested key',
    files: YAML('instance:\n  tpye: t3.micro\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/instance\.tpye: found "t3\.micro", expected one of: type, count, ami/],
    fix: /Did you mean "instance\.type" instead of "instance\.tpye"\?/,
    aws: 'none',
  },
  {
    what: 'an unknown key near nothing',
    files: YAML('database:\n  engine: mysql\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/database: found \{"engine":"mysql"\}/],
    fix: /Remove "database": the keys are name, region/,
    aws: 'none',
  },
  // --- syntax and files
  {
    what: 'YAML that does not parse',
    files: YAML('name: cafe\ninstance:\n  type: t3.micro\n count: 2\n'),
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_SYNTAX',
    message: [/^site\.config\.yaml:4:\d+: YAML syntax error: /],
    fix: /Fix line 4, column \d+ of site\.config\.yaml \(indent with spaces/,
    aws: 'none',
  },
  {
    what: 'JSON that does not parse',
    files: { 'site.config.json': '{\n  "name": "cafe",\n}\n' },
    args: ['plan'],
    exit: 2,
    code: 'CONFIG_SYNTAX',
    message: [/^site\.config\.json:3:1: JSON syntax error: /],
    fix: /Fix line 3, column 1 of site\.config\.json/,
    aws: 'none',
  },
  {
    what: 'a --config that does not exist',
    args: ['plan', '--config', 'sites/cafe.yaml'],
    exit: 2,
    code: 'CONFIG_NOT_FOUND',
    message: [/The configuration file sites\/cafe\.yaml does not exist/],
    fix: /Check the --config path, or run `site config init`/,
    aws: 'none',
  },
  {
    what: 'a --config that is a folder',
    files: { sites: null },
    args: ['plan', '--config', 'sites'],
    exit: 2,
    code: 'CONFIG_UNREADABLE',
    message: [/Cannot read the configuration sites: it is a folder/],
    fix: /Point --config at a file, e.g\. sites\/site\.config\.yaml/,
    aws: 'none',
  },
  {
    what: 'a --config nobody may read (chmod 000)',
    files: YAML('name: cafe\n'),
    setup: (dir) => chmodSync(path.join(dir, 'site.config.yaml'), 0o000),
    asNobody: true,
    args: ['plan', '--config', 'site.config.yaml'],
    exit: 2,
    code: 'CONFIG_UNREADABLE',
    message: [/Cannot read the configuration site\.config\.yaml: EACCES: permission denied/],
    fix: /Check that the file exists, is readable/,
    aws: 'none',
  },
  // --- the private key's folder and file
  {
    what: 'a key folder that cannot be created (a file is in the way)',
    files: { ...YAML('keyDir: keys.txt/site\n'), 'keys.txt': 'notes\n' },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'KEY_DIR_NOT_WRITABLE',
    message: [/Cannot write the private key to .*keys\.txt\/site: ENOTDIR/],
    fix: /Choose a writable folder with --key-dir, SITE_KEY_DIR or keyDir/,
    aws: 'no-change',
  },
  {
    what: 'a read-only key folder',
    files: { ...YAML('keyDir: keys\n'), keys: null },
    setup: (dir) => chmodSync(path.join(dir, 'keys'), 0o555),
    asNobody: true,
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'KEY_DIR_NOT_WRITABLE',
    message: [/Cannot write the private key to .*\/keys: EACCES: permission denied/],
    fix: /Or make .*\/keys writable/,
    aws: 'no-change',
  },
  {
    what: 'a .pem of the key name that is not this key’s',
    files: { 'barista-cafe-key.pem': 'someone else’s key\n' },
    args: ['deploy', '--yes'],
    exit: 2,
    code: 'KEY_FILE_EXISTS',
    message: [
      /barista-cafe-key\.pem already exists, but the key pair barista-cafe-key does not exist in us-east-1/,
      /never overwrites a private key/,
    ],
    fix: /Move .*barista-cafe-key\.pem away/,
    aws: 'no-change',
    after: (dir) =>
      assert.equal(readFileSync(path.join(dir, 'barista-cafe-key.pem'), 'utf8'), 'someone else’s key\n'),
  },
  // --- credentials and endpoints
  {
    what: 'no credentials at all',
    args: ['plan'],
    env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    exit: 2,
    code: 'AWS_NO_CREDENTIALS',
    message: [/No AWS credentials were found/, /AWS_ACCESS_KEY_ID/],
    fix: /aws configure/,
    aws: 'none',
  },
  {
    what: 'a profile that does not exist',
    args: ['plan', '--profile', 'no-such-profile'],
    env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    exit: 2,
    code: 'AWS_NO_CREDENTIALS',
    message: [/No AWS credentials were found for the profile "no-such-profile"/],
    fix: /aws configure list-profiles/,
    aws: 'none',
  },
  {
    what: 'expired credentials',
    args: ['deploy', '--yes'],
    env: { AWS_ACCESS_KEY_ID: 'AKIDEXPIRED', AWS_SESSION_TOKEN: 'expired-session-token' },
    exit: 1,
    code: 'AWS_CREDENTIALS_REJECTED',
    message: [/AWS refused the credentials \((ec2|elasticloadbalancing):Describe\w+\): they have expired/],
    fix: /Refresh them \(`aws sso login`/,
    aws: 'no-change',
  },
  {
    what: 'an access key AWS does not know',
    args: ['plan'],
    env: { AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN' },
    exit: 1,
    code: 'AWS_CREDENTIALS_REJECTED',
    message: [/the access key is unknown or its secret does not match \((AuthFailure|InvalidClientTokenId)/],
    fix: /aws sts get-caller-identity/,
    aws: 'no-change',
  },
  {
    what: 'an endpoint nothing listens on',
    args: ['plan'],
    env: { AWS_ENDPOINT_URL: 'CLOSED_ENDPOINT' },
    exit: 1,
    code: 'AWS_UNREACHABLE',
    message: [
      /Could not reach the AWS endpoint http:\/\/127\.0\.0\.1:\d+ \(\w+:Describe\w+\) \(ECONNREFUSED\)/,
    ],
    fix: /is that endpoint running, and is the URL right\?/,
    aws: 'none',
  },
  {
    what: 'an --endpoint-url that is not a URL',
    args: ['plan', '--endpoint-url', 'localhost-4566'],
    exit: 2,
    code: 'CONFIG_INVALID',
    message: [/flag --endpoint-url: endpointUrl: found "localhost-4566"/],
    fix: /a URL such as https:\/\/example\.com/,
    aws: 'none',
  },
  // --- flags
  {
    what: 'an unknown flag',
    args: ['deploy', '--yes', '--regoin', 'us-east-1'],
    exit: 2,
    code: 'INVALID_COMMAND_LINE',
    message: [/Nonexistent flag: --regoin/],
    fix: /--help/,
    aws: 'none',
  },
  {
    what: 'a flag without its value',
    args: ['plan', '--region'],
    exit: 2,
    code: 'INVALID_COMMAND_LINE',
    message: [/Flag --region expects a value/],
    fix: /expects a value/,
    aws: 'none',
  },
  {
    what: '--sandbox with --endpoint-url',
    args: ['deploy', '--yes', '--sandbox', '--endpoint-url', 'http://127.0.0.1:4566'],
    exit: 2,
    code: 'FLAGS_CONFLICT',
    message: [/--sandbox and --endpoint-url cannot be used together/],
    fix: /Drop one/,
    aws: 'none',
  },
];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runAsNobody(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<SiteRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, ...env }, uid: NOBODY, gid: NOBODY },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number | string }).code ?? 1) : 0;
        // A process that never ran (spawn refused) or was killed says why, instead of a bare exit 1.
        const why = error && typeof code !== 'number' ? `\n[runAsNobody: ${error.message}]` : '';
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr: stderr + why });
      },
    );
  });
}

describe('bad input: one clear message, the right exit code, nothing created', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let closedEndpoint: string;

  before(async () => {
    sim = await startSimulator({
      profile: 'fast',
      seed: 17,
      faults: { rejectCredentials: { AKIDEXPIRED: 'expired', AKIDUNKNOWN: 'invalid' } },
    });
    closedEndpoint = `http://127.0.0.1:${await closedPort()}`;
  });
  const projects: string[] = [];
  const newProject = () => {
    const project = tempProject();
    projects.push(project.dir);
    return project;
  };
  after(async () => {
    await sim?.stop();
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  const suiteEnv = (project: ReturnType<typeof tempProject>): Record<string, string | undefined> => ({
    ...project.env,
    AWS_ACCESS_KEY_ID: 'AKIDBADINPUT',
    AWS_SECRET_ACCESS_KEY: 'bad-input-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL: sim.endpoint,
    // No instance-role lookups from a test machine: "no credentials" answers at once.
    AWS_EC2_METADATA_DISABLED: 'true',
    SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
  });

  it(`has at least 30 cases (${cases.length})`, () => assert.ok(cases.length >= 30));

  for (const c of cases) {
    it(`${c.what} → exit ${c.exit} ${c.code}`, async function () {
      const project = newProject();
      for (const [file, content] of Object.entries(c.files ?? {})) {
        const target = path.join(project.dir, file);
        if (content === null) mkdirSync(target, { recursive: true });
        else writeFileSync(target, content);
      }
      c.setup?.(project.dir);
      const env = { ...suiteEnv(project), ...c.env };
      if (env.AWS_ENDPOINT_URL === 'CLOSED_ENDPOINT') env.AWS_ENDPOINT_URL = closedEndpoint;
      const args = [...c.args, '--json'];

      const callsBefore = sim.calls.length;
      const mutatingBefore = sim.mutatingCalls().length;
      let run: SiteRun;
      if (c.asNobody && process.getuid?.() === 0) {
        // Root reads and writes anything: the permission case runs as nobody, in a folder nobody may enter.
        chmodSync(project.dir, 0o755);
        const home = env.SITE_DATA_DIR!;
        mkdirSync(home, { recursive: true });
        chownSync(home, NOBODY, NOBODY);
        run = await runAsNobody(args, project.dir, { ...env, HOME: home });
      } else {
        run = await runSite(args, { cwd: project.dir, env });
      }

      assert.equal(run.code, c.exit, `exit code\n${run.stdout}\n${run.stderr}`);
      const envelope = JSON.parse(run.stdout) as {
        status: number;
        error: { code: string; message: string; suggestions?: string[] };
      };
      assert.equal(envelope.status, c.exit);
      assert.equal(envelope.error.code, c.code, envelope.error.message);
      for (const pattern of c.message) assert.match(envelope.error.message, pattern);
      const advice = [envelope.error.message, ...(envelope.error.suggestions ?? [])].join('\n');
      assert.match(advice, c.fix);

      // Error paths are where credentials leak: none of the suite's secrets is ever printed.
      for (const secret of ['bad-input-secret', 'expired-session-token'])
        assert.ok(!(run.stdout + run.stderr).includes(secret), `printed the secret ${secret}`);

      const newCalls = sim.calls.slice(callsBefore);
      assert.deepEqual(
        sim
          .mutatingCalls()
          .slice(mutatingBefore)
          .map((call) => call.action),
        [],
        'no mutating call reached AWS',
      );
      if (c.aws === 'none')
        assert.deepEqual(
          newCalls.map((call) => call.action),
          [],
          'refused before any AWS call',
        );
      c.after?.(project.dir);
    });
  }

  it('a JS config that writes to the console leaves --json stdout one document (the output goes to stderr)', async () => {
    const project = newProject();
    writeFileSync(
      path.join(project.dir, 'site.config.mjs'),
      'console.log("loading the cafe config");\nexport default { name: "js-cafe" };\n',
    );
    const run = await runSite(['plan', '--json'], { cwd: project.dir, env: suiteEnv(project) });
    assert.ok(run.code === 0 || run.code === 3, run.stderr);
    const envelope = JSON.parse(run.stdout) as { status: number; result: unknown };
    assert.equal(envelope.status, run.code);
    assert.match(run.stderr, /loading the cafe config/);
  });

  it('the generated user data stays within EC2’s 16 KB at the longest template name and source URL allowed', async () => {
    const { SOURCE_URL_MAX, TEMPLATE_NAME_MAX } = await import('@site-cli/core');
    const { buildUserData } = (await import('@site-cli/plugin-compute/lib/user-data.js')) as {
      buildUserData(input: { template: { id: string; name: string }; source?: { url: string } }): string;
    };
    const template = { id: '21370', name: 'a'.repeat(TEMPLATE_NAME_MAX) };
    // Quotes grow fourfold when shell-quoted, '€' is three bytes: the worst characters a URL may hold.
    for (const char of ["'", '€', 'a']) {
      const url = `https://example.com/${char.repeat(SOURCE_URL_MAX - 20)}`;
      const size = Buffer.byteLength(buildUserData({ template, source: { url } }));
      assert.ok(size <= 16 * 1024, `${size} bytes with ${char}`);
    }
    assert.ok(Buffer.byteLength(buildUserData({ template })) <= 16 * 1024);
  });

  describe('generated edges: each side of every limit in the published JSON Schema', () => {
    const schema = loadPublishedSchema();
    const edges = generateEdges(schema);

    it(`walks every limit of the schema (${edges.length} edges)`, () => {
      const where = new Set(edges.map((edge) => edge.path.slice(0, 3).join('.')));
      for (const limit of [
        'name',
        'instance.count',
        'instance.volumeSize',
        'alb.port',
        'alb.deregistrationDelay',
        'alb.healthCheck',
        'keyName',
        'source.url',
        'template.name',
        'tags',
      ])
        assert.ok(
          [...where].some((w) => w === limit || w.startsWith(`${limit}.`)),
          `no edge for ${limit}`,
        );
      for (const field of ['path', 'interval', 'timeout', 'healthyThreshold', 'unhealthyThreshold'])
        assert.ok(where.has(`alb.healthCheck.${field}`), `no edge for alb.healthCheck.${field}`);
      assert.equal(edges.filter((edge) => edge.valid).length, edges.filter((edge) => !edge.valid).length);
    });

    const valid = packEdges(
      edges.filter((edge) => edge.valid),
      schema,
    );
    valid.forEach((batch, index) => {
      it(`valid edges pass \`site config validate\` (batch ${index + 1} of ${valid.length}: ${batch.edges.length} edges)`, async () => {
        const project = newProject();
        writeFileSync(path.join(project.dir, 'site.config.json'), JSON.stringify(batch.config));
        const run = await runSite(['config', 'validate', '--json'], {
          cwd: project.dir,
          env: suiteEnv(project),
        });
        const envelope = JSON.parse(run.stdout) as {
          status: number;
          result: { issues: { message: string }[] };
        };
        assert.deepEqual(
          envelope.result.issues.map((issue) => issue.message),
          [],
          `refused a valid edge of: ${batch.edges.map((edge) => edge.what).join('; ')}`,
        );
        assert.equal(run.code, 0);
      });
    });

    const invalid = packEdges(
      edges.filter((edge) => !edge.valid),
      schema,
    );
    invalid.forEach((batch, index) => {
      it(`invalid edges stop \`deploy\` with exit 2, each named, nothing sent to AWS (batch ${index + 1} of ${invalid.length}: ${batch.edges.length} edges)`, async () => {
        const project = newProject();
        writeFileSync(path.join(project.dir, 'site.config.json'), JSON.stringify(batch.config));
        const callsBefore = sim.calls.length;
        const run = await runSite(['deploy', '--yes', '--json'], {
          cwd: project.dir,
          env: suiteEnv(project),
        });
        assert.equal(run.code, 2, run.stdout + run.stderr);
        const { error } = JSON.parse(run.stdout) as {
          error: { code: string; message: string; details: { issues: { path: string }[] } };
        };
        assert.equal(error.code, 'CONFIG_INVALID');
        const named = error.details.issues.map((issue) => issue.path);
        for (const edge of batch.edges) {
          // The issue sits on the value, or on the union or map that holds it (instance.ami, tags).
          const prefixes = edge.path.map((_, i) => edge.path.slice(0, i + 1).join('.'));
          const hit = named.find((issuePath) => prefixes.includes(issuePath));
          assert.ok(hit !== undefined, `${edge.what}: not named in\n${error.message}`);
          assert.ok(
            error.message.includes(`site.config.json: ${hit}: found`),
            `${edge.what}: the message names the file, the key and the value`,
          );
        }
        assert.deepEqual(
          sim.calls.slice(callsBefore).map((call) => call.action),
          [],
          'no AWS call at all',
        );
      });
    });
  });

  it('the human form is one message with its fix: no stack, no chain of causes', async () => {
    const project = newProject();
    writeFileSync(path.join(project.dir, 'site.config.yaml'), 'instance:\n  tpye: t3.micro\n');
    const run = await runSite(['deploy', '--yes'], { cwd: project.dir, env: suiteEnv(project) });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /site\.config\.yaml: instance\.tpye: found "t3\.micro"/);
    assert.match(run.stderr, /Did you mean "instance\.type"/);
    assert.match(run.stderr, /Code: CONFIG_INVALID/);
    assert.doesNotMatch(run.stderr, /Caused by| {4}at |\.ts:\d+/);
    assert.equal(run.stderr.match(/instance\.tpye: found/g)?.length, 1, 'said once');
  });

  it('AccessDenied on one action mid-deploy: exit 1 naming the IAM action; what was created is tagged, reported, and destroy removes it all', async () => {
    const project = newProject();
    const env = suiteEnv(project);
    const site = (args: string[]) => runSite(args, { cwd: project.dir, env });
    assert.deepEqual(liveResources(sim), [], 'the account starts empty');
    sim.setFaults({ deny: { 'elbv2:CreateLoadBalancer': 'AccessDenied' } });
    let deploy: SiteRun;
    try {
      deploy = await site(['deploy', '--yes', '--json']);
    } finally {
      sim.setFaults({ rejectCredentials: { AKIDEXPIRED: 'expired', AKIDUNKNOWN: 'invalid' } });
    }
    assert.equal(deploy.code, 1, deploy.stderr);
    const { error } = JSON.parse(deploy.stdout) as {
      error: {
        code: string;
        message: string;
        suggestions: string[];
        details: { created: string[]; action: string };
      };
    };
    assert.equal(error.code, 'AWS_ACCESS_DENIED');
    assert.equal(error.details.action, 'elasticloadbalancing:CreateLoadBalancer');
    assert.match(
      error.message,
      /Load balancer \(alb\.load-balancer.*\) failed: AWS denied the action elasticloadbalancing:CreateLoadBalancer/,
    );
    assert.ok(error.suggestions.some((s) => /Grant elasticloadbalancing:CreateLoadBalancer/.test(s)));
    assert.ok(error.suggestions.some((s) => /site destroy/.test(s)));

    // Everything that exists now was made by this deploy, carries the site's tags, and was reported.
    const created = liveResources(sim);
    assert.ok(created.length >= 4, created.map((r) => r.kind).join(', '));
    for (const resource of created) {
      assert.equal(resource.tags['site:name'], 'barista-cafe', `${resource.kind} ${resource.id} is tagged`);
      assert.equal(resource.tags.ManagedBy, 'site');
    }
    assert.ok(!created.some((r) => r.kind === 'load balancer'));
    for (const id of ['keypair.key-pair', 'network.alb-security-group', 'alb.target-group'])
      assert.ok(error.details.created.includes(id), `${id} reported: ${error.details.created.join(', ')}`);
    assert.match(error.message, /Created or changed before it stopped.*Key pair \(keypair\.key-pair\)/s);

    const destroy = await site(['destroy', '--yes', '--json']);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.deepEqual(siteResources(sim, 'barista-cafe'), []);
    assert.deepEqual(liveResources(sim), [], 'nothing is left in the account');
  });
});
