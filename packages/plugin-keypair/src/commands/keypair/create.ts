import { awsFlags, keyDirFlag, SiteCommand } from '@site-cli/plugin-kit';
import type { KeyPairOutput } from '../../outputs.js';

export default class KeypairCreate extends SiteCommand {
  static override summary =
    "Create the site's EC2 key pair: generate it here, save the private key, import the public key.";
  static override description =
    'Ensures the key pair <name>-key (or keyName) exists, tagged for this site. A new ed25519 key is generated on ' +
    'this machine and its private key written to <key dir>/<key name>.pem (mode 0400) before its public key is ' +
    'imported to EC2, so an interrupted run resumes with the same key. An existing file is never overwritten, and ' +
    "the pair's public key, as DescribeKeyPairs returns it, proves whether a .pem is its key. Re-running is safe.";
  static override examples = [
    '<%= config.bin %> keypair create',
    '<%= config.bin %> keypair create --key-dir ~/.ssh --json',
  ];
  static override flags = { ...awsFlags, ...keyDirFlag };

  async run(): Promise<KeyPairOutput> {
    const { flags } = await this.parse(KeypairCreate);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      const outputs = await session.ensure(['keypair.key-pair']);
      // ensure created it or threw.
      const keyPair = outputs.get('keypair.key-pair')!;
      this.log(
        core.table([
          {
            name: keyPair.keyName,
            id: keyPair.keyPairId,
            'private key': keyPair.pemPresent
              ? keyPair.pemPath
              : `${keyPair.pemMismatch ? 'does not match' : 'missing'} (${keyPair.pemPath})`,
          },
        ]),
      );
      return keyPair;
    } finally {
      await session.close();
    }
  }
}
