import { systemClock } from '../../shared/src/ports/clock';
import { environmentStatus } from '../../shared/src/run/environment-status';
import { mergeIntervals } from '../../shared/src/schedule/intervals';
import { formatInstant, formatIntervals, parseExecutionTime } from '../format';
import { printJson } from './plan';
import { type GlobalOptions, loadProjectAt, withLocalStack } from './context';

export interface StatusCommandOptions extends GlobalOptions {
  readonly executionTime?: string;
}

/** `meshcron status [env]`: processed range, what is behind, next run and last outcome per model. */
export async function statusCommand(environmentArg: string | undefined, options: StatusCommandOptions): Promise<number> {
  const project = await loadProjectAt(options.project);
  const environment = environmentArg ?? project.config.defaultTargetEnvironment;
  const asOfMs = parseExecutionTime(options.executionTime, systemClock.nowMs());
  return withLocalStack(project, options, async (stack) => {
    const models = await environmentStatus(stack.state, environment, asOfMs);
    if (options.json) {
      printJson({ environment, asOf: new Date(asOfMs).toISOString(), models });
      return 0;
    }
    console.log(`Environment '${environment}' as of ${formatInstant(asOfMs)} UTC\n`);
    for (const m of models) {
      const behind = m.behind.length > 0 ? `behind ${formatIntervals(mergeIntervals(m.behind))}` : 'up to date';
      const next = m.nextRunMs !== undefined ? `next ${formatInstant(m.nextRunMs)}` : '';
      const last = m.lastBatch ? `last ${m.lastBatch.reason}` : '';
      console.log(`  ${m.name.padEnd(36)} ${m.kind.padEnd(26)} ${formatIntervals(m.processed)}`);
      console.log(`  ${''.padEnd(36)} ${[behind, next, last].filter(Boolean).join(' · ')}`);
    }
    return 0;
  });
}
