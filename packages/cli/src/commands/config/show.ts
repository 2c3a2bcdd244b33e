import path from 'node:path';
import { wiredPluginApi } from '../../core-wiring.js';
import { SiteCommand } from '../../base-command.js';
import { awsFlags } from '../../flags.js';

// --sandbox changes where AWS calls go, not the configuration: not offered here.
const { sandbox: _sandbox, ...flags } = awsFlags;

export default class ConfigShow extends SiteCommand {
  static override summary = 'Show the resolved configuration: every value and where it came from.';
  static override description =
    'Reads the site configuration (searched from the current folder up, or --config), applies the environment ' +
    '(AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, SITE_NAME, SITE_KEY_DIR) and the flags, fills in the defaults, ' +
    'and prints each key with its value and its source. Precedence: flags > environment > file > defaults.';
  static override examples = [
    '<%= config.bin %> config show',
    '<%= config.bin %> config show --config deploy/site.config.yaml --region eu-west-1',
    '<%= config.bin %> config show --json',
  ];
  static override flags = flags;

  async run(): Promise<{
    file?: string;
    dir: string;
    config: Record<string, unknown>;
    sources: Record<string, unknown>;
  }> {
    const { flags } = await this.parse(ConfigShow);
    const { loadConfig, collectConfigSections, table } = await import('@site-cli/core');
    const loaded = await loadConfig({
      configPath: flags.config,
      flags: {
        region: flags.region,
        profile: flags.profile,
        endpointUrl: flags['endpoint-url'],
        keyDir: flags['key-dir'],
      },
      pluginSections: await collectConfigSections(this.config, await wiredPluginApi()),
    });
    if (!this.jsonEnabled()) {
      this.log(
        loaded.file
          ? `file: ${loaded.file}`
          : `file: none found (searched from ${process.cwd()} up); defaults apply`,
      );
      this.log('');
      const rows = Object.entries(loaded.sources).map(([key, source]) => ({
        key,
        value: show(valueAt(loaded.config, key)),
        source:
          source.kind === 'default'
            ? 'default'
            : source.kind === 'file'
              ? `file ${shownPath(source.file)}`
              : `${source.kind} ${source.name}`,
      }));
      this.log(table(rows, ['key', 'value', 'source']));
    }
    return { file: loaded.file, dir: loaded.dir, config: loaded.config, sources: loaded.sources };
  }
}

/** A path as the user would type it from here. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function valueAt(config: Record<string, unknown>, keyPath: string): unknown {
  return keyPath
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
