/**
 * Starts state-machine executions. On AWS, Step Functions `StartExecution`; locally, the same definitions run
 * in-process. Execution names are deterministic, so starting the same job twice starts it once.
 */
export interface JobLauncher {
  /**
   * Starts `machine` with `name` and a JSON `input` of IDs. Resolves `exists` when an execution of that name was
   * already started (a repeated tick), `started` otherwise.
   */
  start(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<'started' | 'exists'>;
}
