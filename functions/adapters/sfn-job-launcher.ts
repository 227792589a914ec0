import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';

let defaultClient: SFNClient | undefined;

/** Starts run and plan jobs on Step Functions; the execution name makes a repeated start a no-op. */
export class SfnJobLauncher implements JobLauncher {
  private readonly client: SFNClient;

  constructor(
    private readonly machines: { readonly run: string; readonly plan: string },
    client?: SFNClient,
  ) {
    this.client = client ?? (defaultClient ??= new SFNClient({}));
  }

  async start(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<'started' | 'exists'> {
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.machines[machine], name, input: JSON.stringify(input) }),
      );
      return 'started';
    } catch (error) {
      // Standard workflows answer a repeated name with the same input idempotently; a different input
      // (the same tick computed twice) raises ExecutionAlreadyExists: either way the job already runs.
      if (error instanceof ExecutionAlreadyExists) return 'exists';
      throw error;
    }
  }
}
