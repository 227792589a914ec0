import './promise-with-resolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';

/** One event of a local execution's log (the package does not export its type). */
export type EventLog = { readonly type: string; readonly timestamp?: number; readonly [key: string]: unknown };

/** A Lambda handler as a Task state sees it: the payload in, the function's answer out. */
export type LocalTaskHandler = (payload: unknown) => Promise<unknown>;

/** The definitions (JSON text, as synthesized by the CDK stack) and the handler bound to each Task state. */
export interface LocalMachine {
  readonly definition: string;
  readonly tasks: Readonly<Record<string, LocalTaskHandler>>;
}

/** What a finished local execution left behind. */
export interface LocalExecution {
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  /** Every event of the execution, in order (for counting transitions and checking payloads). */
  readonly events: readonly EventLog[];
}

/**
 * Starts run and plan jobs by executing the CDK-synthesized state-machine definitions in-process with
 * aws-local-stepfunctions, each Task bound to the same handler function Lambda runs. Execution names are
 * remembered, so a repeated start starts nothing, as on Step Functions.
 */
export class LocalJobLauncher implements JobLauncher {
  private readonly executions = new Map<string, Promise<LocalExecution>>();

  constructor(
    private readonly machines: Readonly<Record<'run' | 'plan', LocalMachine>>,
    /** Milliseconds each Wait state really waits (the definitions say seconds; locally that is too slow). */
    private readonly waitMs = 50,
  ) {}

  async start(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<'started' | 'exists'> {
    if (this.executions.has(name)) return 'exists';
    this.executions.set(name, this.execute(machine, name, input));
    return 'started';
  }

  /** Waits for an execution started by {@link start}. */
  async wait(name: string): Promise<LocalExecution> {
    const execution = this.executions.get(name);
    if (!execution) throw new Error(`no local execution named '${name}' was started`);
    return execution;
  }

  /** Names of every execution started so far. */
  started(): string[] {
    return [...this.executions.keys()];
  }

  private async execute(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<LocalExecution> {
    const { definition, tasks } = this.machines[machine];
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    const bound = Object.fromEntries(
      Object.entries(tasks).map(([state, handler]) => [
        state,
        // The CDK LambdaInvoke integration passes {FunctionName, Payload} and returns {Payload: <answer>}.
        async (parameters: unknown) => ({ StatusCode: 200, Payload: (await handler((parameters as { Payload: unknown }).Payload)) as never }),
      ]),
    );
    const waits = Object.fromEntries(waitStates(parsed).map((state) => [state, this.waitMs]));
    const run = new StateMachine(parsed).run(input as never, {
      overrides: { taskResourceLocalHandlers: bound, waitTimeOverrides: waits },
    });
    const events: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of run.eventLogs) events.push(event as unknown as EventLog);
    })();
    try {
      const output = await run.result;
      await collecting;
      return { name, status: 'SUCCEEDED', output, events };
    } catch (error) {
      await collecting.catch(() => undefined);
      const cause = (error as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(error);
      return { name, status: 'FAILED', error: detail, events };
    }
  }
}

/** Names of every Wait state, nested Map iterators included. */
function waitStates(definition: StateMachineDefinition): string[] {
  const names: string[] = [];
  const visit = (states: Record<string, unknown>): void => {
    for (const [name, state] of Object.entries(states)) {
      const s = state as { Type?: string; Iterator?: { States: Record<string, unknown> }; ItemProcessor?: { States: Record<string, unknown> }; Branches?: { States: Record<string, unknown> }[] };
      if (s.Type === 'Wait') names.push(name);
      if (s.Iterator) visit(s.Iterator.States);
      if (s.ItemProcessor) visit(s.ItemProcessor.States);
      for (const branch of s.Branches ?? []) visit(branch.States);
    }
  };
  visit((definition as unknown as { States: Record<string, unknown> }).States);
  return names;
}
