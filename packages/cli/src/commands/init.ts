import { Args, Flags } from '@oclif/core';
import { SiteCommand } from '../base-command.js';

export default class Init extends SiteCommand {
  static override summary =
    'Start a site from a Tooplate template: unpack it into a folder and write site.config.yaml.';
  static override description = `Downloads the template's zip from tooplate.com on this machine (it needs the internet; SITE_TEMPLATE_BASE_URL names another base URL serving the same <id>_<name>.zip files), unpacks it into DIR (default ./public) with the rule the instances use — the zip's single top folder is the site, __MACOSX and .DS_Store dropped — and writes a commented site.config.yaml with \`source: { dir: ./public }\` and the template's name as the site name. Edit the files, then \`site deploy\`.

A non-empty DIR or an existing configuration file is refused (exit 2) unless --force; nothing is written when anything fails.`;
  static override examples = [
    '<%= config.bin %> init --template 2137_barista_cafe',
    '<%= config.bin %> init --template 2137_barista_cafe web --name my-cafe',
  ];
  static override args = {
    dir: Args.string({ description: 'Folder to unpack the template into.', default: 'public' }),
  };
  static override flags = {
    template: Flags.string({
      summary: 'Tooplate template as <id>_<name>, e.g. 2137_barista_cafe.',
      helpValue: 'ID_NAME',
      required: true,
    }),
    name: Flags.string({ summary: "Site name (default: the template's name, e.g. barista-cafe)." }),
    force: Flags.boolean({
      char: 'f',
      summary: 'Unpack into a non-empty folder and replace an existing site.config.yaml.',
      default: false,
    }),
  };

  async run() {
    const { args, flags } = await this.parse(Init);
    const { initFromTemplate } = await import('@site-cli/core');
    const path = await import('node:path');
    const result = await initFromTemplate({
      cwd: process.cwd(),
      template: flags.template,
      dir: args.dir,
      name: flags.name,
      force: flags.force,
    });
    const shown = path.relative(process.cwd(), result.dir) || '.';
    this.log(`unpacked ${result.url} into ${shown}/ (${result.files} files)`);
    this.log(`wrote ${result.configFile}`);
    this.log(
      `next: edit ${shown}/index.html, then \`site deploy --sandbox\` and \`site open --sandbox\` to see it.`,
    );
    return result;
  }
}
