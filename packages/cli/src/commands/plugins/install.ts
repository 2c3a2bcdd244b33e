import type { Command, Config } from '@oclif/core';
import { commands } from '@oclif/plugin-plugins';
import { SiteCommand } from '../../base-command.js';

/** oclif's own `plugins install`, which does the work. */
const OclifInstall = commands['plugins:install'] as unknown as typeof Command;
const makeOclifInstall = (argv: string[], config: Config) =>
  new (OclifInstall as unknown as new (argv: string[], config: Config) => Command)(argv, config);

/**
 * oclif's `plugins install`, taking a tarball or folder path as users type it (`./plugin-0.1.0.tgz`,
 * `../my-plugin`, an absolute path: oclif alone reads these as GitHub repositories and times out) and
 * refusing at once, with the fix, a path that is not there.
 */
export default class Install extends SiteCommand {
  static override summary =
    'Install a plugin: an npm package, a packed tarball or a folder (a path as you type it).';
  static override description = OclifInstall.description;
  static override aliases = OclifInstall.aliases;
  static override args = OclifInstall.args;
  static override flags = OclifInstall.flags;
  static override strict = false;
  static override examples = [
    '<%= config.bin %> plugins install @site-cli/plugin-https',
    '<%= config.bin %> plugins install ./site-cli-plugin-https-0.1.0.tgz',
    '<%= config.bin %> plugins install ~/code/my-site-plugin',
  ];

  async run(): Promise<unknown> {
    const { resolvePluginSource } = await import('../../command-line/plugin-source.js');
    const argv: string[] = [];
    for (const argument of this.argv) {
      if (argument.startsWith('-')) {
        argv.push(argument);
        continue;
      }
      const source = await resolvePluginSource(argument, process.cwd());
      if (source.kind === 'missing') {
        const { usageError } = await import('@site-cli/core');
        throw usageError(
          'PLUGIN_NOT_FOUND',
          `No plugin at ${source.path} (from "${argument}"): there is no such file or folder.`,
          [
            'Check the path: `npm pack` in a plugin’s folder writes <name>-<version>.tgz there.',
            'An npm package is named without a path (`site plugins install @scope/name`); a GitHub repository by its URL (https://github.com/owner/repo).',
          ],
          { argument, path: source.path },
        );
      }
      argv.push(source.spec);
    }
    const install = makeOclifInstall(argv, this.config);
    install.id = this.id;
    // run(), not _run(): its errors and result come back here, and this command prints the one --json document.
    await (install as unknown as { run(): Promise<unknown> }).run();
    return { installed: argv.filter((argument) => !argument.startsWith('-')) };
  }
}
