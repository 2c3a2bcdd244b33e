import { Flags } from '@oclif/core';
import { awsFlags, keyDirFlag, SiteCommand } from '@site-cli/plugin-kit';
import { instancesUsingKey } from '../../services/key-pairs.js';

export interface KeypairDeleteResult {
  deleted: boolean;
  keyName?: string;
  keyPairId?: string;
  pemPath?: string;
}

export default class KeypairDelete extends SiteCommand {
  static override summary = "Delete the site's key pair and its private key file.";
  static override description =
    'Deletes the key pair tagged for this site and <key dir>/<key name>.pem. Refuses while instances of the site ' +
    'were launched with it (they keep working, but nobody could SSH in any more), unless --force.';
  static override examples = ['<%= config.bin %> keypair delete', '<%= config.bin %> keypair delete --force'];
  static override flags = {
    ...awsFlags,
    ...keyDirFlag,
    force: Flags.boolean({
      summary: 'Delete even while instances of the site use the key pair.',
      default: false,
    }),
  };

  async run(): Promise<KeypairDeleteResult> {
    const { flags } = await this.parse(KeypairDelete);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      const found = (await session.discover(['keypair.key-pair'])).get('keypair.key-pair');
      if (!found) {
        this.log(`Site ${session.config.name} has no key pair: nothing to delete.`);
        return { deleted: false };
      }
      if (!flags.force) {
        const instances = await instancesUsingKey(session.context(), found.keyName);
        if (instances.length > 0) {
          throw core.createError({
            code: 'KEYPAIR_IN_USE',
            message: `The key pair ${found.keyName} is used by instance(s) ${instances.join(', ')} of site ${session.config.name}; deleting it would leave no way to SSH in.`,
            suggestions: [
              'Run `site destroy` to remove the whole site, or `site keypair delete --force` to delete the key pair anyway.',
            ],
            exitCode: core.ExitCode.usage,
            details: { keyName: found.keyName, instances },
          });
        }
      }
      await session.remove(['keypair.key-pair']);
      this.log(core.table([{ deleted: found.keyName, id: found.keyPairId, 'private key': found.pemPath }]));
      return { deleted: true, keyName: found.keyName, keyPairId: found.keyPairId, pemPath: found.pemPath };
    } finally {
      await session.close();
    }
  }
}
