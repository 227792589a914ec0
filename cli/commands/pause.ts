import { userInfo } from 'node:os';
import { SchedulerError } from '../../shared/src/errors';
import { MAX_PAUSE_REASON_LENGTH, UNKNOWN_PAUSER } from '../../shared/src/pause/constants';
import { createPause, deletePause, listEnvironmentPauses } from '../../shared/src/pause/manage-pauses';
import { pauseIdOf } from '../../shared/src/pause/pause-id';
import { previewResume } from '../../shared/src/pause/preview-resume';
import { systemClock } from '../../shared/src/ports/clock';
import type { PauseRecord } from '../../shared/src/ports/state-store';
import { normalizeEnvironmentName } from '../../shared/src/snapshot/naming';
import { formatInstant, formatInterval, parseExecutionTime } from '../format';
import { type GlobalOptions, loadProjectAt, withLocalStack } from './context';
import { printJson } from './plan';

export interface PauseCommandOptions extends GlobalOptions {
  readonly model?: string;
  readonly reason?: string;
}

export interface ResumeCommandOptions extends GlobalOptions {
  readonly model?: string;
  readonly preview?: boolean;
  readonly executionTime?: string;
}

/** The OS user, recorded as who paused; never fails (containers may have no passwd entry). */
function whoAmI(): string {
  try {
    return userInfo().username || UNKNOWN_PAUSER;
  } catch {
    return UNKNOWN_PAUSER;
  }
}

function describePause(p: PauseRecord): string {
  const what = p.model === undefined ? 'whole environment' : `${p.model} and downstream`;
  return `${p.pauseId.padEnd(36)} ${what} · by ${p.createdBy} at ${formatInstant(p.createdTs)} UTC${p.reason ? ` · ${p.reason}` : ''}`;
}

/** `meshcron pause [env] [--model <name>] [--reason "..."]`: runs skip the environment or the model and its downstream. */
export async function pauseCommand(environmentArg: string | undefined, options: PauseCommandOptions): Promise<number> {
  if (options.reason !== undefined && options.reason.length > MAX_PAUSE_REASON_LENGTH) {
    throw new SchedulerError(`--reason: ${options.reason.length} characters is more than the ${MAX_PAUSE_REASON_LENGTH} allowed`);
  }
  const project = await loadProjectAt(options.project);
  const environment = normalizeEnvironmentName(environmentArg ?? project.config.defaultTargetEnvironment);
  return withLocalStack(project, options, async (stack) => {
    const pause = await createPause(
      stack.state,
      {
        environment,
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
        createdBy: whoAmI(),
      },
      systemClock.nowMs(),
    );
    if (options.json) printJson(pause);
    else console.log(`Paused '${environment}': ${describePause(pause)}\nRuns record its batches as skipped:paused:${pause.pauseId}; resume with: meshcron resume ${environment}${pause.model ? ` --model ${pause.model}` : ''}`);
    return 0;
  });
}

/** `meshcron resume [env] [--model <name>] [--preview]`: deletes the pause, or lists what resuming would run now. */
export async function resumeCommand(environmentArg: string | undefined, options: ResumeCommandOptions): Promise<number> {
  const project = await loadProjectAt(options.project);
  const environment = normalizeEnvironmentName(environmentArg ?? project.config.defaultTargetEnvironment);
  const pauseId = pauseIdOf(options.model);
  return withLocalStack(project, options, async (stack) => {
    if (options.preview) {
      const executionTimeMs = parseExecutionTime(options.executionTime, systemClock.nowMs());
      const preview = await previewResume(stack.state, { environment, pauseId, executionTimeMs });
      if (options.json) {
        printJson(preview);
        return 0;
      }
      const released = new Set(preview.releasedBatchIds);
      console.log(`Resuming '${pauseId}' in '${environment}' would run ${preview.batches.length} batch(es) as of ${formatInstant(executionTimeMs)} UTC:`);
      for (const b of preview.batches) console.log(`  ${released.has(b.id) ? '▶' : ' '} ${b.model.padEnd(36)} ${formatInterval(b.interval)}`);
      if (preview.stillHeld.length > 0) console.log(`  (${preview.stillHeld.length} batch(es) stay held by other pauses)`);
      return 0;
    }
    const removed = await deletePause(stack.state, environment, pauseId);
    if (options.json) printJson(removed);
    else console.log(`Resumed '${environment}': ${describePause(removed)}\nThe next run catches up the missed intervals.`);
    return 0;
  });
}

/** `meshcron pauses [env]`: the environment's pauses. */
export async function pausesCommand(environmentArg: string | undefined, options: GlobalOptions): Promise<number> {
  const project = await loadProjectAt(options.project);
  const environment = normalizeEnvironmentName(environmentArg ?? project.config.defaultTargetEnvironment);
  return withLocalStack(project, options, async (stack) => {
    const pauses = await listEnvironmentPauses(stack.state, environment);
    if (options.json) printJson({ environment, pauses });
    else if (pauses.length === 0) console.log(`Environment '${environment}' has no pauses.`);
    else for (const p of pauses) console.log(describePause(p));
    return 0;
  });
}
