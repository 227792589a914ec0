import { SchedulerError } from '../../shared/src/errors';
import { readAnswer, startedPlanSchema } from '../remote/api-views';
import { followJob } from '../remote/follow-job';
import { collectProjectBundle } from '../remote/project-bundle';
import { batchLine } from '../remote/remote-format';
import { openRemoteSession, type RemoteIo, type RemoteOptions } from '../remote/remote-session';
import { loadProjectAt } from './context';

export interface RemotePlanOptions extends RemoteOptions {
  readonly autoApply?: boolean;
  readonly executionTime?: string;
}

/**
 * `meshcron --api <url> plan [env] --auto-apply`: checks the project loads here (errors with file:line
 * before anything is sent), submits its files to `POST /plans`, then follows the plan job, printing each
 * backfill batch as it finishes and whether the environment was promoted.
 */
export async function remotePlanCommand(environmentArg: string | undefined, options: RemotePlanOptions, io: RemoteIo = {}): Promise<number> {
  if (!options.autoApply) {
    throw new SchedulerError('plan --api submits the plan to the API, which applies it without showing a preview first; pass --auto-apply');
  }
  if (options.executionTime !== undefined) {
    throw new SchedulerError('--execution-time is not available with --api: the API plans as of its own clock');
  }
  const session = openRemoteSession(options, io);
  const project = await loadProjectAt(options.project);
  const environment = environmentArg ?? project.config.defaultTargetEnvironment;
  const files = await collectProjectBundle(project.root);

  const started = readAnswer(startedPlanSchema, await session.client.post('/plans', { environment, files }), 'POST /plans');
  const { planId } = started;
  if (!options.json) {
    session.print(`Submitted ${Object.keys(files).length} project files to ${session.client.baseUrl.origin}.`);
    if (started.status === 'exists') session.print(`  The same project was submitted this minute; following that plan.`);
    session.print(`\nApplying plan ${planId} to '${environment}'…`);
  }
  const { run, batches } = await followJob(session, { kind: 'plan', id: planId }, (batch) => {
    if (!options.json) session.print(batchLine(planId, batch));
  });
  const promoted = run.status === 'succeeded';
  if (options.json) {
    session.print(JSON.stringify({ planId, environment: run.environment, applied: promoted, run, batches }, null, 2));
  } else if (promoted) {
    const n = run.counts?.succeeded ?? 0;
    session.print(`\n✔ Environment '${run.environment}' promoted (${n} batch${n === 1 ? '' : 'es'}).`);
  } else {
    session.print(`\n✘ Plan ${planId} failed (${run.reason ?? run.status}); environment '${run.environment}' is unchanged.`);
  }
  return promoted ? 0 : 1;
}
