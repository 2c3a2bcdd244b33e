import { InterruptedError } from '../errors.js';
import type { NodeResult, SkipCause } from '../graph/scheduler.js';
import { listrRendererOptions, type RendererChoice } from './renderer.js';

/** One resource of a run, as the progress view shows it. */
export interface ProgressItem {
  id: string;
  /** 'Load balancer' */
  title: string;
  /** The plugin that contributed it: its group in the view. */
  group: string;
  /** ['creating', 'created'] when the run does work on it; undefined when there is nothing to do. */
  verbs?: readonly [doing: string, did: string];
  /** Said when there is nothing to do: 'found', 'unchanged'. */
  idle: string;
  /** What it waits for among the run's items (deploy: its dependencies; destroy: its dependants). */
  waitsFor: readonly string[];
  /** Destroy waits for its dependants to be deleted; deploy for its dependencies to be ready. */
  waitsForDeletion?: boolean;
}

/** What the view is told while the run goes on; open it before the run starts, show it as it starts. */
export interface Progress {
  /** The item's work started (its waits are over). */
  started(id: string): void;
  /** A line of news from the item's work ('1/2 instances running'). */
  message(id: string, text: string): void;
  /** Show the items until every one has settled. */
  show(settled: (id: string) => Promise<NodeResult<unknown>>): Promise<void>;
}

interface ItemState {
  started: boolean;
  message?: string;
  show?: (text: string) => void;
}

interface TaskHandle {
  title: string;
  output: string;
  skip(message?: string): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * The progress of a run: a listr2 tree with one group per plugin and one line per resource, on stderr
 * (stdout holds only the command's result). What a line says comes from here whatever the renderer.
 */
export async function openProgress(
  items: readonly ProgressItem[],
  options: { renderer: RendererChoice; stream?: NodeJS.WritableStream },
): Promise<Progress> {
  // Loaded before the run starts, so the view misses none of its beginning.
  const { Listr } = await import('listr2');
  const rendererOptions = await listrRendererOptions(options.renderer, options.stream);
  const byId = new Map(items.map((item) => [item.id, item]));
  const states = new Map(items.map((item) => [item.id, { started: false } as ItemState]));
  const titleOf = (id: string) => byId.get(id)?.title ?? id;

  return {
    started(id) {
      const state = states.get(id)!;
      state.started = true;
      const doing = byId.get(id)?.verbs?.[0];
      if (doing) state.show?.(doing);
    },
    message(id, text) {
      const state = states.get(id)!;
      state.message = text;
      state.show?.(text);
    },
    async show(settled) {
      const settledIds = new Set<string>();
      const interruptedIds = new Set<string>();
      for (const item of items)
        void settled(item.id).then((result) => {
          settledIds.add(item.id);
          if (interrupted(result)) interruptedIds.add(item.id);
        });
      const why = (cause: SkipCause) =>
        cause.kind === 'dependency-failed' && interruptedIds.has(cause.id)
          ? 'interrupted'
          : skipWords(cause, titleOf);

      const groups = new Map<string, ProgressItem[]>();
      for (const item of items) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);

      const itemTask = (item: ProgressItem, group: GroupOutcome) => ({
        title: item.title,
        task: async (_: unknown, task: TaskHandle) => {
          const state = states.get(item.id)!;
          const waiting = () => {
            if (state.started) return;
            const pending = item.waitsFor.filter((id) => !settledIds.has(id));
            if (pending.length === 0) return;
            const what = inWords(pending.map(titleOf));
            task.output = item.waitsForDeletion ? `waiting for ${what} to be deleted` : `waiting for ${what}`;
          };
          if (item.verbs) {
            waiting();
            for (const id of item.waitsFor) void settled(id).then(waiting);
          }
          state.show = (text) => (task.output = text);
          if (state.started) task.output = state.message ?? item.verbs?.[0] ?? '';
          const result = await settled(item.id);
          state.show = undefined;
          group.settle(result);
          // Ctrl-C stops work rather than failing it: what it cut short shows as skipped.
          if (interrupted(result)) return task.skip(`${item.title}: interrupted`);
          if (result.status === 'skipped') return task.skip(`${item.title}: skipped (${why(result.cause)})`);
          if (result.status === 'failed')
            throw new Error(`${item.title}: failed: ${firstLine(result.error)}`);
          task.title = item.verbs
            ? `${item.title}: ${item.verbs[1]} in ${seconds(result.endedAt - result.startedAt)}`
            : `${item.title}: ${item.idle}`;
        },
      });

      const list = new Listr(
        [...groups].map(([group, groupItems]) => ({
          title: groupTitle(group),
          task: (_: unknown, task: TaskHandle & { newListr(tasks: unknown[], options: object): SubList }) => {
            const outcome = groupOutcome(groupTitle(group), task);
            const subList = task.newListr(
              groupItems.map((item) => itemTask(item, outcome)),
              { concurrent: true, exitOnError: false },
            );
            // The group's outcome is told once every item's line is out, before listr2 marks the group ✔.
            const runItems = subList.run.bind(subList);
            subList.run = async (context) => {
              const ran = await runItems(context);
              outcome.tell();
              return ran;
            };
            return subList;
          },
        })) as never,
        {
          concurrent: true,
          exitOnError: false,
          collectErrors: false,
          // Ctrl-C is ours to handle: in-flight work finishes and the command exits 130, not listr2's 127.
          registerSignalListeners: false,
          ...rendererOptions,
        } as never,
      );
      try {
        await list.run();
      } catch {
        // Failures are reported once, by the runner, from the scheduler's results.
      }
    },
  };
}

interface SubList {
  run(context: unknown): Promise<unknown>;
}

interface GroupOutcome {
  settle(result: NodeResult<unknown>): void;
  tell(): void;
}

/**
 * What became of a group's items: it stays ✔ only when all were done; any skipped makes it skipped
 * ("alb: 3 done, 2 skipped"); a failure is named in its title.
 */
function groupOutcome(title: string, task: TaskHandle): GroupOutcome {
  const counts = { done: 0, failed: 0, skipped: 0 };
  return {
    settle(result) {
      counts[interrupted(result) ? 'skipped' : result.status] += 1;
    },
    tell() {
      if (counts.failed + counts.skipped === 0) return;
      const summary = (['failed', 'skipped', 'done'] as const)
        .filter((status) => counts[status] > 0)
        .map((status) => `${counts[status]} ${status}`)
        .join(', ');
      if (counts.failed > 0) task.title = `${title}: ${summary}`;
      else task.skip(`${title}: ${summary}`);
    },
  };
}

/** '@site-cli/plugin-alb' → 'alb'; another publisher's package keeps its full name. */
export function groupTitle(plugin: string): string {
  return plugin.replace(/^@site-cli\/(plugin-)?/, '');
}

/** Why a resource was skipped, naming resources by title: 'EC2 instances failed'. */
export function skipWords(cause: SkipCause, titleOf: (id: string) => string): string {
  switch (cause.kind) {
    case 'dependency-failed':
      return `${titleOf(cause.id)} failed`;
    case 'dependency-skipped':
      return `${titleOf(cause.id)} was skipped`;
    case 'stopped-after-failure':
      return `stopped after ${titleOf(cause.id)} failed`;
    case 'interrupted':
      return 'interrupted';
    case 'left-out':
      return cause.why;
  }
}

/** ['Load balancer', 'Target group', 'EC2 instances'] → 'load balancer, target group and EC2 instances'. */
export function inWords(titles: readonly string[]): string {
  // Lower-case a title's first letter, but not an acronym's ('EC2 instances', 'VPC and subnets').
  const words = titles.map((title) =>
    /^[A-Z][a-z]/.test(title) ? title[0]!.toLowerCase() + title.slice(1) : title,
  );
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const interrupted = (result: NodeResult<unknown>) =>
  result.status === 'failed' && result.error instanceof InterruptedError;

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}
