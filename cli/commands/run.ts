import { systemClock } from '../../shared/src/ports/clock';
import { runEnvironment, type RunSummary } from '../../shared/src/run/run-environment';
import { silentReporter } from '../../shared/src/run/run-reporter';
import { ConsoleReporter } from '../console-reporter';
import { formatInstant, formatIntervals, parseExecutionTime } from '../format';
import { printJson } from './plan';
import { executionDeps, type GlobalOptions, loadProjectAt, newRunId, withLocalStack } from './context';

export interface RunCommandOptions extends GlobalOptions {
  readonly executionTime?: string;
  readonly concurrency: number;
  readonly watch?: boolean;
  readonly ignoreCron?: boolean;
}

/** `meshcron run [env]`: process what is due now; with --watch, keep doing so at every cron tick. */
export async function runCommand(environmentArg: string | undefined, options: RunCommandOptions): Promise<number> {
  const project = await loadProjectAt(options.project);
  const environment = environmentArg ?? project.config.defaultTargetEnvironment;
  return withLocalStack(project, options, async (stack) => {
    const deps = executionDeps(stack, options.json ? silentReporter : new ConsoleReporter());
    for (;;) {
      const executionTimeMs = parseExecutionTime(options.executionTime, systemClock.nowMs());
      const summary = await runEnvironment(
        {
          environment,
          runId: newRunId('run', systemClock.nowMs()),
          executionTimeMs,
          concurrency: options.concurrency,
          ...(options.ignoreCron ? { ignoreCron: true } : {}),
        },
        deps,
      );
      if (options.json) printJson(summary);
      else printSummary(summary);
      if (!options.watch || options.executionTime) return summary.run.status === 'succeeded' ? 0 : 1;
      await sleepUntil(summary.nextRunMs);
    }
  });
}

function printSummary(summary: RunSummary): void {
  const { run } = summary;
  for (const d of summary.deferred) console.log(`  ⏸ ${d.model}: ${formatIntervals([d.interval])} waits for ${d.waitingFor}`);
  if (summary.batches.length === 0) {
    console.log(
      `No models are ready to run.${summary.nextRunMs !== undefined ? ` Next run will be ready at ${formatInstant(summary.nextRunMs)} UTC.` : ''}`,
    );
    return;
  }
  const c = run.counts ?? { succeeded: 0, failed: 0, skipped: 0 };
  const mark = run.status === 'succeeded' ? '✔' : '✘';
  console.log(`${mark} Run ${run.runId} ${run.status}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped.`);
  if (summary.nextRunMs !== undefined) console.log(`  Next run will be ready at ${formatInstant(summary.nextRunMs)} UTC.`);
}

/** Sleeps until the next cron tick (a little after it, so the tick's interval is complete). */
async function sleepUntil(nextRunMs: number | undefined): Promise<void> {
  const target = (nextRunMs ?? systemClock.nowMs() + 60_000) + 1_000;
  const waitMs = Math.max(1_000, target - systemClock.nowMs());
  console.log(`  Waiting until ${formatInstant(target)} UTC (Ctrl-C to stop)…`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}
