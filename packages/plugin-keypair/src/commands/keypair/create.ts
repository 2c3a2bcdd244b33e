import { Command } from '@oclif/core';
import type { KeyPairOutput } from '../../resources/key-pair.js';
import { awsFlags, getRuntime, keyDirFlag } from '../../runtime.js';

export default class KeypairCreate extends Command {
  static override summary = "Create the site's EC2 key pair and save its private key.";
  static override description =
    'Ensures the key pair <name>-key (or keyName) exists, tagged for this site. A new private key is written to ' +
    '<key dir>/<key name>.pem with mode 0400; an existing file is never overwritten. Re-running is safe.';
  static override examples = [
    '<%= config.bin %> keypair create',
    '<%= config.bin %> keypair create --key-dir ~/.ssh --json',
  ];
  static override enableJsonFlag = true;
  static override flags = { ...awsFlags, ...keyDirFlag };

  async run(): Promise<KeyPairOutput> {
    const { flags } = await this.parse(KeypairCreate);
    const runtime = await getRuntime(this);
    const session = await runtime.openSession({ config: this.config, id: this.id }, flags);
    try {
      const outputs = await session.ensure(['keypair.key-pair']);
      const keyPair = outputs.get('keypair.key-pair') as KeyPairOutput;
      this.log(
        runtime.table([
          {
            name: keyPair.keyName,
            id: keyPair.keyPairId,
            'private key': keyPair.pemPresent ? keyPair.pemPath : `missing (${keyPair.pemPath})`,
          },
        ]),
      );
      return keyPair;
    } finally {
      await session.close();
    }
  }
}
