import { SchedulerError } from '../../shared/src/errors';
import { formatInstant, parseExecutionTime } from '../format';
import { environmentViewSchema, readAnswer, startedRunSchema } from '../remote/api-views';
import { defaultEnvironmentOf } from '../remote/default-environment';
import { followJob } from '../remote/follow-job';
import { batchLine, nextRunOf } from '../remote/remote-format';
import { openRemoteSession, type RemoteIo, type RemoteOptions } from '../remote/remote-session';

export interface RemoteRunOptions extends RemoteOptions {
  readonly executionTime?: string;
  readonly watch?: boolean;
  readonly ignoreCron?: boolean;
}

/**
 * `meshcron --api <url> run [env]`: starts a run job through `POST /environments/{env}/runs` and follows it,
 * printing each batch as it finishes, the outcome and when the next run is due.
 */
export async function remoteRunCommand(environmentArg: string | undefined, options: RemoteRunOptions, io: RemoteIo = {}): Promise<number> {
  if (options.watch) throw new SchedulerError('run --watch is not available with --api: the deployed scheduler ticks on its own');
  if (options.ignoreCron) throw new SchedulerError('run --ignore-cron is not available with --api: run jobs follow the crons');
  const session = openRemoteSession(options, io);
  const environment = encodeURIComponent(environmentArg ?? (await defaultEnvironmentOf(options.project)));
  const body = options.executionTime === undefined ? undefined : { executionTime: new Date(parseExecutionTime(options.executionTime, 0)).toISOString() };

  const path = `/environments/${environment}/runs`;
  const started = readAnswer(startedRunSchema, await session.client.post(path, body), `POST ${path}`);
  if (!options.json && started.status === 'exists') session.print(`Run ${started.runId} was already started this minute; following it.`);
  const { run, batches } = await followJob(session, { kind: 'run', id: started.runId }, (batch) => {
    if (!options.json) session.print(batchLine(started.runId, batch));
  });
  const envPath = `/environments/${encodeURIComponent(run.environment)}`;
  const nextRunMs = nextRunOf(readAnswer(environmentViewSchema, await session.client.get(envPath), `GET ${envPath}`));
  const ok = run.status === 'succeeded';

  if (options.json) {
    session.print(JSON.stringify({ run, batches, nextRun: nextRunMs === undefined ? null : new Date(nextRunMs).toISOString() }, null, 2));
    return ok ? 0 : 1;
  }
  const next = nextRunMs !== undefined ? `Next run will be ready at ${formatInstant(nextRunMs)} UTC.` : '';
  if (batches.length === 0 && ok) {
    session.print(`No models are ready to run.${next ? ` ${next}` : ''}`);
    return 0;
  }
  const c = run.counts ?? { succeeded: 0, failed: 0, skipped: 0 };
  const why = ok || run.reason === null ? '' : ` (${run.reason})`;
  session.print(`${ok ? '✔' : '✘'} Run ${run.runId} ${run.status}${why}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped.`);
  if (next) session.print(`  ${next}`);
  return ok ? 0 : 1;
}
