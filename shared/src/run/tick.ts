import type { JobLauncher } from '../ports/job-launcher';
import type { StateStore } from '../ports/state-store';
import { planDueRun } from './plan-due-run';

export interface TickResult {
  readonly environment: string;
  /** The run job's id (= execution name) when something was due. */
  readonly runId?: string;
  readonly outcome: 'started' | 'exists' | 'nothing_due' | 'not_finalized';
}

/** Step Functions execution names: at most 80 characters of letters, digits, `-` and `_`. */
const EXECUTION_NAME_MAX = 80;

/**
 * The run-job id of an environment at a tick: derived from both, so a repeated or duplicated tick maps to
 * the same execution and starts nothing twice.
 */
export function runJobName(environment: string, tickMs: number): string {
  const minute = new Date(Math.floor(tickMs / 60_000) * 60_000).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const name = `run-${environment.replace(/[^A-Za-z0-9_-]/g, '_')}-${minute}`;
  return name.length <= EXECUTION_NAME_MAX ? name : name.slice(name.length - EXECUTION_NAME_MAX);
}

/**
 * One scheduler tick: for each finalized environment, if any model has something due (its cron fired and an
 * interval is missing), start one run job for this tick. Environments still being planned are left alone.
 */
export async function tick(nowMs: number, deps: { state: StateStore; launcher: JobLauncher }): Promise<TickResult[]> {
  const results: TickResult[] = [];
  for (const env of await deps.state.listEnvironments()) {
    if (env.finalizedTs === undefined) {
      results.push({ environment: env.name, outcome: 'not_finalized' });
      continue;
    }
    // Batches of paused models do not count: a fully paused environment starts no job at all.
    const { runnable } = await planDueRun(deps.state, { environment: env.name, executionTimeMs: nowMs });
    if (runnable.length === 0) {
      results.push({ environment: env.name, outcome: 'nothing_due' });
      continue;
    }
    const runId = runJobName(env.name, nowMs);
    const executionTime = new Date(Math.floor(nowMs / 60_000) * 60_000).toISOString();
    const outcome = await deps.launcher.start('run', runId, { environment: env.name, runId, executionTime });
    results.push({ environment: env.name, runId, outcome });
  }
  return results;
}
