import { AwsError } from '../errors.js';
import type { ServiceModel } from './model.js';

/**
 * Checks an SDK-shaped input against the constraints of its botocore shape (required members, lengths,
 * ranges, patterns, enums), as AWS's front end does before an action runs: every violation in one message,
 * worded as AWS words them (`1 validation error detected: Value 'x' at 'domainName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: …`). Throws `code` (ACM's ValidationException,
 * Route 53's InvalidInput) when anything fails.
 */
export function validateInput(model: ServiceModel, shapeName: string, input: unknown, code: string): void {
  const problems: string[] = [];
  check(model, shapeName, input, '', problems);
  if (problems.length)
    throw new AwsError(
      code,
      `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
    );
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

function shown(v: unknown): string {
  if (Array.isArray(v))
    return `[${v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')}]`;
  return `'${String(v)}'`;
}

const patterns = new Map<string, RegExp | undefined>();
/** botocore patterns are Java regular expressions that must match the whole value. */
function patternOf(p: string): RegExp | undefined {
  if (!patterns.has(p)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^(?:${p})$`, 'u');
    } catch {
      try {
        re = new RegExp(`^(?:${p})$`);
      } catch {
        re = undefined;
      }
    }
    patterns.set(p, re);
  }
  return patterns.get(p);
}

function check(model: ServiceModel, shapeName: string, v: unknown, path: string, out: string[]): void {
  const shape = model.shapes[shapeName];
  if (!shape || v === undefined || v === null) return;
  const fail = (constraint: string) =>
    out.push(`Value ${shown(v)} at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object') return;
      const obj = v as Record<string, unknown>;
      for (const name of shape.required ?? [])
        if (obj[name] === undefined || obj[name] === null)
          out.push(
            `Value null at '${join(path, lowerFirst(name))}' failed to satisfy constraint: Member must not be null`,
          );
      for (const [name, ref] of Object.entries(shape.members ?? {}))
        check(model, ref.shape, obj[name], join(path, lowerFirst(name)), out);
      return;
    }
    case 'list': {
      if (!Array.isArray(v)) return;
      if (shape.min !== undefined && v.length < shape.min)
        fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && v.length > shape.max)
        fail(`Member must have length less than or equal to ${shape.max}`);
      v.forEach((item, i) => check(model, shape.member!.shape, item, `${path}.${i + 1}.member`, out));
      return;
    }
    case 'string': {
      if (typeof v !== 'string') return;
      if (shape.max !== undefined && v.length > shape.max)
        fail(`Member must have length less than or equal to ${shape.max}`);
      if (shape.min !== undefined && v.length < shape.min)
        fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.enum && !shape.enum.includes(v))
        fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      const re = shape.pattern === undefined ? undefined : patternOf(shape.pattern);
      if (re && !re.test(v)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof v !== 'number') return;
      if (shape.max !== undefined && v > shape.max)
        fail(`Member must have value less than or equal to ${shape.max}`);
      if (shape.min !== undefined && v < shape.min)
        fail(`Member must have value greater than or equal to ${shape.min}`);
      return;
    }
    default:
      return;
  }
}
