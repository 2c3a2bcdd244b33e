import { Flags } from '@oclif/core';
import { SiteCommand } from '../../base-command.js';

interface InitAnswers {
  name?: string;
  region?: string;
  template?: string;
  instanceType?: string;
}

export default class ConfigInit extends SiteCommand {
  static override summary =
    'Write a commented site.config.yaml with every key, its default and what it does.';
  static override description =
    'On a terminal it asks for the site name, region, Tooplate template and instance type (Enter keeps the default in brackets). ' +
    'With --yes, --json, or no terminal, it takes the defaults; --name, --region, --template and --instance-type preset the answers. ' +
    'It never overwrites an existing file unless --force.';
  static override examples = [
    '<%= config.bin %> config init',
    '<%= config.bin %> config init --yes --name my-cafe --region eu-west-1',
    '<%= config.bin %> config init --path deploy --template 2137_barista_cafe --force',
  ];
  static override flags = {
    path: Flags.string({
      summary: 'Folder to write site.config.yaml in, or the file to write (.yaml/.yml).',
      helpValue: 'PATH',
    }),
    name: Flags.string({ summary: 'Site name (lowercase letters, digits, hyphens; at most 28).' }),
    region: Flags.string({ summary: 'AWS region, e.g. us-east-1.' }),
    template: Flags.string({
      summary: 'Tooplate template as <id>_<name>, e.g. 2137_barista_cafe.',
      helpValue: 'ID_NAME',
    }),
    'instance-type': Flags.string({ summary: 'EC2 instance type, e.g. t2.micro.' }),
    yes: Flags.boolean({
      char: 'y',
      summary: 'Take the defaults (and the flags) without asking.',
      default: false,
    }),
    force: Flags.boolean({ char: 'f', summary: 'Overwrite an existing file.', default: false }),
  };

  async run(): Promise<{ file: string; config: Record<string, unknown> }> {
    const { flags } = await this.parse(ConfigInit);
    const [{ existsSync }, { writeFile }, path, core] = await Promise.all([
      import('node:fs'),
      import('node:fs/promises'),
      import('node:path'),
      import('@site-cli/core'),
    ]);
    const {
      renderConfigYaml,
      configSchemaReference,
      validateConfigFile,
      siteConfigShape,
      usageError,
      CONFIG_INIT_FILE,
    } = core;

    const target = path.resolve(flags.path ?? '.');
    const file = /\.ya?ml$/i.test(target) ? target : path.join(target, CONFIG_INIT_FILE);
    if (existsSync(file) && !flags.force) {
      throw usageError('CONFIG_EXISTS', `${file} already exists: not overwriting it.`, [
        'Edit it, check it with `site config validate`, or run again with --force to replace it.',
      ]);
    }

    const checks: Record<keyof InitAnswers, (value: string) => string | undefined> = {
      name: (value) => problem(siteConfigShape.name, value),
      region: (value) => problem(siteConfigShape.region, value),
      template: (value) => {
        const match = /^(\d+)_(.+)$/.exec(value);
        if (!match) return 'a Tooplate template as <id>_<name>, e.g. 2137_barista_cafe';
        return problem(siteConfigShape.template, { id: match[1], name: match[2] });
      },
      instanceType: (value) => problem(siteConfigShape.instance, { type: value }),
    };
    const defaults = {
      name: 'barista-cafe',
      region: 'us-east-1',
      template: '2137_barista_cafe',
      instanceType: 't2.micro',
    };
    const preset: InitAnswers = {
      name: flags.name,
      region: flags.region,
      template: flags.template,
      instanceType: flags['instance-type'],
    };
    for (const [key, value] of Object.entries(preset) as [keyof InitAnswers, string | undefined][]) {
      const issue = value === undefined ? undefined : checks[key](value);
      if (issue)
        throw usageError(
          'INIT_INVALID_ANSWER',
          `--${flagName(key)} ${JSON.stringify(value)}: expected ${issue}.`,
        );
    }

    const interactive =
      !flags.yes && !this.jsonEnabled() && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
    const answers = interactive
      ? await this.ask(preset, defaults, checks)
      : { ...defaults, ...withoutUndefined(preset) };

    const [templateId, ...templateName] = answers.template.split('_');
    const values = {
      name: answers.name,
      region: answers.region,
      template: { id: templateId, name: templateName.join('_') },
      instance: { type: answers.instanceType },
    };
    const yaml = renderConfigYaml(values, { schema: configSchemaReference(path.dirname(file)) });
    await writeFile(file, yaml, { flag: flags.force ? 'w' : 'wx' });

    const check = await validateConfigFile({ configPath: file, env: {} });
    if (!check.ok) {
      // The file was rendered from validated answers: this would be a bug in site, not in the answers.
      throw usageError(
        'CONFIG_INIT_INVALID',
        `Wrote ${file}, but it does not validate:\n${check.issues.map((i) => `  ${i.message}`).join('\n')}`,
      );
    }
    this.log(`wrote ${file}`);
    this.log('next: `site plan` to see what deploy would create, then `site deploy`.');
    return { file, config: values };
  }

  /** Ask each question not preset by a flag; Enter keeps the default; a wrong answer is asked again. */
  private async ask(
    preset: InitAnswers,
    defaults: Required<InitAnswers>,
    checks: Record<keyof InitAnswers, (value: string) => string | undefined>,
  ): Promise<Required<InitAnswers>> {
    const [{ createInterface }, { InterruptedError, usageError }] = await Promise.all([
      import('node:readline'),
      import('@site-cli/core'),
    ]);
    const prompts: Record<keyof InitAnswers, string> = {
      name: 'Site name',
      region: 'AWS region',
      template: 'Tooplate template (<id>_<name>)',
      instanceType: 'Instance type',
    };
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    let interrupted = false;
    readline.on('SIGINT', () => {
      interrupted = true;
      readline.close();
    });
    // Lines are queued, so answers typed (or pasted) ahead are not lost.
    const lines = readline[Symbol.asyncIterator]();
    const question = async (prompt: string): Promise<string> => {
      readline.setPrompt(prompt);
      readline.prompt();
      const next = await lines.next();
      if (interrupted) throw new InterruptedError('Interrupted: nothing was written.');
      if (next.done)
        throw usageError('INIT_ABORTED', 'No answer (end of input): nothing was written.', [
          'Run `site config init --yes` to take the defaults.',
        ]);
      return String(next.value);
    };
    const answers = { ...defaults };
    try {
      for (const key of Object.keys(prompts) as (keyof InitAnswers)[]) {
        const given = preset[key];
        if (given !== undefined) {
          answers[key] = given;
          continue;
        }
        for (;;) {
          const reply = (await question(`${prompts[key]} [${defaults[key]}]: `)).trim() || defaults[key];
          const issue = checks[key](reply);
          if (!issue) {
            answers[key] = reply;
            break;
          }
          this.logToStderr(`  expected ${issue}`);
        }
      }
    } finally {
      readline.close();
    }
    return answers;
  }
}

/** What is wrong with a value for this schema, in the schema's own words; undefined when it is fine. */
function problem(
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error?.issues.map((issue) => issue.message).join(' and ');
}

function flagName(key: keyof InitAnswers): string {
  return key === 'instanceType' ? 'instance-type' : key;
}

function withoutUndefined(answers: InitAnswers): Partial<Required<InitAnswers>> {
  return Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== undefined));
}
