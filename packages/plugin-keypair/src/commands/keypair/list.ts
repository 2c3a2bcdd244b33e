import { Flags } from '@oclif/core';
import { awsFlags, keyDirFlag, SiteCommand } from '@site-cli/plugin-kit';
import { listKeyPairs, type KeyPairListing } from '../../services/key-pairs.js';

export default class KeypairList extends SiteCommand {
  static override summary = 'List the key pairs of this site (or of every site with --all).';
  static override description =
    "Shows each key pair with its id, fingerprint, creation time and whether its private key is in the key folder (proven by the pair's public key).";
  static override examples = [
    '<%= config.bin %> keypair list',
    '<%= config.bin %> keypair list --all --json',
  ];
  static override flags = {
    ...awsFlags,
    ...keyDirFlag,
    all: Flags.boolean({
      summary: 'Every key pair managed by site in the region, with the site it belongs to.',
      default: false,
    }),
  };

  async run(): Promise<{ keyPairs: KeyPairListing[] }> {
    const { flags } = await this.parse(KeypairList);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      const keyPairs = await listKeyPairs(session.context(), { all: flags.all });
      if (keyPairs.length === 0) {
        this.log(
          flags.all
            ? 'No key pairs managed by site in this region.'
            : `Site ${session.config.name} has no key pair.`,
        );
      } else {
        this.log(
          core.table(
            keyPairs.map((pair) => ({
              ...(flags.all ? { site: pair.site } : {}),
              name: pair.keyName,
              id: pair.keyPairId,
              fingerprint: pair.fingerprint ?? '',
              created: pair.created ?? '',
              'private key': pair.pemPresent ? pair.pemPath : 'not here',
            })),
          ),
        );
      }
      return { keyPairs };
    } finally {
      await session.close();
    }
  }
}
