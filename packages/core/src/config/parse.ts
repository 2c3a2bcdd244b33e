/**
 * cosmiconfig loaders for YAML and JSON that report syntax errors with a line and column.
 * `yaml` is imported only when a YAML file is read.
 */

/** A file that does not parse: where, and why. Turned into SiteError CONFIG_SYNTAX by the loader. */
export class ConfigSyntaxProblem extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly language: 'YAML' | 'JSON' | 'JavaScript',
    readonly line?: number,
    readonly column?: number,
  ) {
    super(
      `${file}${line === undefined ? '' : `:${line}:${column ?? 1}`}: ${language} syntax error: ${reason}`,
    );
    this.name = 'ConfigSyntaxProblem';
  }
}

export async function yamlLoader(file: string, content: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const document = parseDocument(content, { prettyErrors: true, uniqueKeys: true });
  const [error] = document.errors;
  if (error) {
    const position = error.linePos?.[0];
    // yaml appends " at line L, column C:" and a code frame; keep the sentence.
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigSyntaxProblem(file, reason, 'YAML', position?.line, position?.col);
  }
  return document.toJS();
}

export function jsonLoader(file: string, content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (error) {
    const offset = jsonErrorOffset(content);
    const { line, column } = lineAndColumn(content, offset);
    const reason = (error as Error).message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    throw new ConfigSyntaxProblem(file, reason, 'JSON', line, column);
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Where JSON.parse gave up: V8's messages do not always carry a position, so scan the text.
 * Returns the offset of the first character that cannot continue valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    fail();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return Math.min(i, text.length);
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}
