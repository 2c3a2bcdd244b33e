/**
 * Resources as a short table for people: what, name, id. ARNs are long (up to ~130 characters) and wrap any
 * terminal, so by default they shrink to the part a person tells apart; --verbose and --json keep them whole.
 */

export interface ResourceRow {
  what: string;
  name?: string;
  id?: string;
  /** --verbose only: every other value of the summary. */
  detail?: string;
}

const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:[^\s,;()]+/g;

/** `arn:aws:elasticloadbalancing:…:targetgroup/cafe-tg/0167…` → `targetgroup/cafe-tg/0167…` (ARN format: the part after the account). */
export function arnResource(arn: string): string {
  return arn.split(':').slice(5).join(':');
}

/** Every ARN inside a text shortened to its resource part ('→ targetgroup/cafe-tg/0167…'). */
export function shortenArns(text: string): string {
  return text.replace(ARN, (arn) => arnResource(arn));
}

/** The name an ARN carries, where its format has one: load balancers and target groups (ELBv2). */
function arnName(arn: string): string | undefined {
  return /^(?:loadbalancer\/(?:app|net|gwy)|targetgroup)\/([^/]+)\/[^/]+$/.exec(arnResource(arn))?.[1];
}

/** The unique id at the end of an ARN's resource part: `…/listener/app/cafe-alb/6bbe…/9f7b…` → `9f7b…`. */
function arnId(arn: string): string {
  return arnResource(arn).split(/[/:]/).at(-1)!;
}

/** An id as a table shows it by default: an ARN shrinks to the unique id it ends with; anything else stays. */
export function shortId(id: string): string {
  return /^arn:aws[a-z-]*:/.test(id) ? arnId(id) : id;
}

type SummaryValue = string | number | readonly string[] | undefined | null | unknown;

const text = (value: SummaryValue): string =>
  Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);

const isName = (key: string) => /(^n|N)ame$/.test(key) && !/^dns/i.test(key);
const isId = (key: string) => /(^i|I)ds?$/.test(key);
const isArn = (key: string) => /(^a|A)rns?$/.test(key);

/**
 * One resource's summary (`Resource.summarize`: the ids a user looks up) as a row, by the keys' names:
 * `…Name` is the name (a DNS name is not), `…Id` / `…Ids` the id; without an id, the first `…Arn` gives both.
 * Keys in `leaveOut` (the URL and ssh command, shown on their own) are left out.
 */
export function summaryRow(
  what: string,
  summary: Record<string, SummaryValue>,
  options: { verbose?: boolean; leaveOut?: readonly string[] } = {},
): ResourceRow {
  const entries = Object.entries(summary).filter(
    ([key, value]) =>
      value !== undefined && value !== null && value !== '' && !options.leaveOut?.includes(key),
  );
  const nameEntry = entries.find(([key]) => isName(key));
  const idEntry = entries.find(([key]) => isId(key));
  const arnEntry = entries.find(([key, value]) => isArn(key) && typeof value === 'string');
  const arn = arnEntry?.[1] as string | undefined;
  // An ARN beside an id is another resource's (the targets' target group): its name is not this one's.
  const name = nameEntry ? text(nameEntry[1]) : idEntry ? undefined : arn && arnName(arn);
  const id = idEntry ? text(idEntry[1]) : arn && (options.verbose ? arn : arnId(arn));
  const used = new Set([nameEntry?.[0], idEntry?.[0], idEntry ? undefined : arnEntry?.[0]]);
  const rest = entries.filter(([key]) => !used.has(key));
  return {
    what,
    name,
    id,
    ...(options.verbose && rest.length > 0
      ? { detail: rest.map(([key, value]) => `${words(key)} ${text(value)}`).join('; ') }
      : {}),
  };
}

/** A summary as one phrase, for checks: `{ healthyTargets: '1/1', http: 200 }` → 'healthy targets 1/1, http 200'. */
export function summaryPhrase(
  summary: Record<string, SummaryValue>,
  leaveOut: readonly string[] = [],
): string {
  return Object.entries(summary)
    .filter(
      ([key, value]) => value !== undefined && value !== null && value !== '' && !leaveOut.includes(key),
    )
    .map(([key, value]) => `${words(key)} ${text(value)}`)
    .join(', ');
}

/** 'healthyTargets' → 'healthy targets'; 'loadBalancerArn' → 'load balancer ARN'. */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(arn|dns|http|ssh|cidr)\b/g, (word) => word.toUpperCase());
}
