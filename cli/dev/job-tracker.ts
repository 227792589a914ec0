import type { LocalExecution, LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { toError } from '../../shared/src/errors';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import type { RunRecord, StateStore } from '../../shared/src/ports/state-store';

/** A run or plan job of `meshcron dev` that has ended. */
export interface FinishedJob {
  readonly machine: 'run' | 'plan';
  readonly name: string;
  readonly execution: LocalExecution;
  /** The run or plan record the job left; undefined when it failed before writing one. */
  readonly record: RunRecord | undefined;
}

/** One line saying how a job ended, in the CLI's style (✔ / ✘, counts, reason). */
export function formatJobOutcome(job: FinishedJob): string {
  const { record, name } = job;
  if (!record) {
    return `✘ ${job.machine} ${name} ended ${job.execution.status.toLowerCase()} before recording anything${job.execution.error ? `: ${job.execution.error}` : ''}`;
  }
  const c = record.counts ?? { succeeded: 0, failed: 0, skipped: 0 };
  const n = c.succeeded + c.failed + c.skipped;
  const batches = `${n} batch${n === 1 ? '' : 'es'}`;
  if (record.kind === 'plan') {
    return record.status === 'succeeded'
      ? `✔ plan ${name}: environment '${record.environment}' promoted (${batches})`
      : `✘ plan ${name} ${record.status} (${record.reason ?? 'no reason recorded'}); environment '${record.environment}' is unchanged`;
  }
  const mark = record.status === 'succeeded' ? '✔' : '✘';
  const why = record.status === 'succeeded' ? '' : ` (${record.reason ?? 'no reason recorded'})`;
  return `${mark} run ${name} of '${record.environment}' ${record.status}${why}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped`;
}

/**
 * The job launcher the dev stack's handlers see: starts jobs on the local state machines, logs when each
 * starts and how it ended, and knows which are still running so the stack can stop only after them.
 */
export class TrackedJobLauncher implements JobLauncher {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly local: LocalJobLauncher,
    private readonly state: StateStore,
    private readonly log: (line: string) => void,
    private readonly onFinished: (job: FinishedJob) => void = () => undefined,
  ) {}

  async start(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<'started' | 'exists'> {
    const outcome = await this.local.start(machine, name, input);
    if (outcome === 'started') {
      this.log(`▶ ${machine} ${name} started`);
      const done = this.follow(machine, name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, done);
    }
    return outcome;
  }

  /** Jobs still running. */
  running(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Resolves once no job is running, including jobs started while waiting. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private async follow(machine: 'run' | 'plan', name: string): Promise<void> {
    const execution = await this.local.wait(name);
    let record: RunRecord | undefined;
    try {
      record = await this.state.getRun(name);
    } catch (error) {
      this.log(`  (could not read the record of ${name}: ${toError(error).message})`);
    }
    const job = { machine, name, execution, record };
    this.log(formatJobOutcome(job));
    this.onFinished(job);
  }
}
