import { ListrTaskEventType, ListrTaskState, type ListrTaskMessage, type ListrTaskObject } from 'listr2';

// Tasks of any context and renderer: this renderer reads only titles, states and messages.
type AnyTask = ListrTaskObject<any, any, any>;

export interface LineRendererOptions {
  write(text: string): void;
}

/**
 * Progress without a terminal (CI logs, pipes): one plain line per event, each naming its task
 * ("› alb › Listener: waiting for target group"), so the lines of concurrent work read on their own.
 * No line for a task merely starting: a resource that waits says what for instead.
 */
export class LineRenderer {
  static nonTTY = true;
  static rendererOptions: Record<PropertyKey, unknown> = {};
  static rendererTaskOptions: Record<PropertyKey, unknown> = {};

  constructor(
    private readonly tasks: readonly AnyTask[],
    private readonly options: LineRendererOptions,
  ) {}

  render(): void {
    this.follow(this.tasks, []);
  }

  end(): void {}

  private follow(tasks: readonly AnyTask[], path: readonly string[]): void {
    for (const task of tasks) {
      const name = task.initialTitle ?? task.title ?? '';
      let last: string | undefined;
      const line = (icon: string, text: string) => {
        const entry = `${icon} ${[...path, text].join(' › ')}`;
        if (entry === last) return;
        last = entry;
        this.options.write(`${entry}\n`);
      };
      task.on(ListrTaskEventType.SUBTASK, (subtasks: AnyTask[]) => this.follow(subtasks, [...path, name]));
      task.on(ListrTaskEventType.OUTPUT, (output: string) => {
        if (output) line('›', `${name}: ${output}`);
      });
      task.on(ListrTaskEventType.STATE, (state: ListrTaskState) => {
        if (state !== ListrTaskState.COMPLETED) return;
        const failedWithin = task.subtasks?.some((subtask) => subtask.hasFailed());
        line(failedWithin ? '✖' : '✔', task.title ?? name);
      });
      task.on(ListrTaskEventType.MESSAGE, (message: ListrTaskMessage) => {
        if (message.skip) line('↓', message.skip);
        else if (message.error) line('✖', message.error);
      });
    }
  }
}
