import { z } from 'zod';
import { tick } from '../../shared/src/run/tick';
import { getRuntime } from './runtime';
import { taskHandler } from './task-handler';

/** EventBridge Scheduler passes its scheduled time; anything else (a manual test event) ticks "now". */
const input = z.object({ time: z.iso.datetime({ offset: true }).optional() }).loose();

/** Tick: starts at most one run job per environment that has something due. */
export const handler = taskHandler(input, async ({ time }) => {
  const runtime = await getRuntime();
  const nowMs = time ? Date.parse(time) : runtime.jobDeps.clock.nowMs();
  return { results: await tick(nowMs, { state: runtime.jobDeps.state, launcher: runtime.launcher }) };
});
