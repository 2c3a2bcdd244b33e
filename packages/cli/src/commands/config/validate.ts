import type { ConfigIssue } from '@site-cli/core';
import { wiredPluginApi } from '../../core-wiring.js';
import { SiteCommand } from '../../base-command.js';
import { configFlags } from '../../flags.js';

interface ValidateResult {
  valid: boolean;
  file?: string;
  issues: ConfigIssue[];
}

export default class ConfigValidate extends SiteCommand {
  static override summary =
    'Check the site configuration: every problem with its file, key, value and what was expected.';
  static override description =
    'Exit 0 when the configuration (file and environment) is valid; exit 2 listing every problem otherwise. ' +
    'With --json the problems come back as data: { valid, file, issues } with status 2.';
  static override examples = [
    '<%= config.bin %> config validate',
    '<%= config.bin %> config validate --config site.config.yaml',
    '<%= config.bin %> config validate --json',
  ];
  static override flags = { ...configFlags };

  async run(): Promise<ValidateResult> {
    const { flags } = await this.parse(ConfigValidate);
    const { validateConfigFile, collectConfigSections, usageError } = await import('@site-cli/core');
    const validation = await validateConfigFile({
      configPath: flags.config,
      pluginSections: await collectConfigSections(this.config, await wiredPluginApi()),
    });
    const result: ValidateResult = { valid: validation.ok, file: validation.file, issues: validation.issues };
    if (validation.ok) {
      if (validation.file) this.log(`valid: ${validation.file}`);
      else this.note(`no configuration file found (searched from ${process.cwd()} up): the defaults apply.`);
      if (!validation.file && !this.jsonEnabled()) this.log('valid: defaults');
      return result;
    }
    if (this.jsonEnabled()) {
      process.exitCode = 2;
      return result;
    }
    const syntax = validation.issues.some((issue) => issue.line !== undefined);
    const where = validation.file ?? 'The configuration';
    const count = validation.issues.length === 1 ? 'a problem' : `${validation.issues.length} problems`;
    throw usageError(
      syntax ? 'CONFIG_SYNTAX' : 'CONFIG_INVALID',
      `${where} has ${count}:\n${validation.issues.map((issue) => `  ${issue.message}`).join('\n')}`,
      validation.suggestions,
      { file: validation.file, issues: validation.issues },
    );
  }

  /** An invalid configuration is an answer, not a crash: same envelope, status 2. */
  protected override toSuccessJson(result: unknown): unknown {
    const envelope = super.toSuccessJson(result) as Record<string, unknown>;
    return { ...envelope, status: (result as ValidateResult).valid ? 0 : 2 };
  }
}
