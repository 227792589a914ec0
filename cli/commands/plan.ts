import { createInterface } from 'node:readline/promises';
import { SchedulerError } from '../../shared/src/errors';
import { systemClock } from '../../shared/src/ports/clock';
import { applyPlan, computePlan, type PlanPreview } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import { mergeIntervals } from '../../shared/src/schedule/intervals';
import { silentReporter } from '../../shared/src/run/run-reporter';
import { viewName } from '../../shared/src/snapshot/naming';
import { ConsoleReporter } from '../console-reporter';
import { formatIntervals, parseExecutionTime } from '../format';
import { executionDeps, type GlobalOptions, loadProjectAt, newRunId, withLocalStack } from './context';

export interface PlanCommandOptions extends GlobalOptions {
  readonly autoApply?: boolean;
  readonly executionTime?: string;
  readonly concurrency: number;
}

/** `meshcron plan [env]`: show what changed and what will be backfilled, ask, then apply. */
export async function planCommand(environmentArg: string | undefined, options: PlanCommandOptions): Promise<number> {
  const project = await loadProjectAt(options.project);
  const environment = environmentArg ?? project.config.defaultTargetEnvironment;
  // Plans use now floored to the minute, like SQLMesh; --execution-time replays a given instant.
  const executionTimeMs = parseExecutionTime(options.executionTime, Math.floor(systemClock.nowMs() / 60_000) * 60_000);
  const hashes = await seedContentHashes(project);

  return withLocalStack(project, options, async (stack) => {
    const reporter = options.json ? silentReporter : new ConsoleReporter();
    const deps = executionDeps(stack, reporter);
    const planId = newRunId('plan', systemClock.nowMs());
    const preview = await computePlan(project, hashes, { environment, planId, executionTimeMs }, deps);

    const nothingToDo = preview.diff.changes.length === 0 && preview.backfill.batches.length === 0 && preview.current;
    if (!options.json) printPreview(preview);
    if (nothingToDo) {
      if (options.json) printJson({ planId, environment: preview.environment, applied: false, reason: 'no_changes' });
      else console.log(`\nNo changes to plan: the project matches environment '${preview.environment}'.`);
      return 0;
    }
    if (!options.autoApply && !(await confirm(`Apply plan to '${preview.environment}'? [y/n]: `))) {
      console.log('Plan not applied.');
      return 1;
    }
    if (!options.json) console.log(`\nApplying plan ${planId} to '${preview.environment}'…`);
    const result = await applyPlan(preview, options.concurrency, deps);
    if (options.json) {
      printJson({ planId, environment: preview.environment, applied: result.promoted, run: result.run, batches: result.batches, deferred: preview.backfill.deferred });
    } else if (result.promoted) {
      const example = preview.snapshots.find((s) => s.physicalTable);
      const n = result.run.counts?.succeeded ?? 0;
      console.log(`\n✔ Environment '${preview.environment}' promoted (${n} batch${n === 1 ? '' : 'es'}).`);
      if (example) console.log(`  Views such as ${viewName(example.name, preview.environment)} are in ${stack.warehouseLocation}`);
    } else {
      console.log(`\n✘ Plan ${planId} failed (${result.run.reason}); environment '${preview.environment}' is unchanged.`);
    }
    return result.promoted ? 0 : 1;
  });
}

function printPreview(preview: PlanPreview): void {
  const changes = preview.diff.changes;
  const base = preview.current ? `environment '${preview.environment}'` : preview.environment === 'prod' ? 'an empty state' : "environment 'prod'";
  console.log(`\nDifferences from ${base}:`);
  if (changes.length === 0) console.log('  (none)');
  const groups: [string, string][] = [
    ['added', 'Added models'],
    ['removed', 'Removed models'],
    ['directly_modified', 'Directly modified'],
    ['indirectly_modified', 'Indirectly modified'],
  ];
  for (const [kind, title] of groups) {
    const items = changes.filter((c) => c.change === kind);
    if (items.length === 0) continue;
    console.log(`\n${title}:`);
    for (const c of items) {
      const extra = c.category ? ` (${c.category})` : c.becauseOf?.length ? ` (because of ${c.becauseOf.join(', ')})` : '';
      console.log(`  • ${c.name}${extra}`);
      if (c.diff) console.log(c.diff.split('\n').map((l) => `      ${l}`).join('\n'));
    }
  }
  const byModel = new Map<string, [number, number][]>();
  for (const b of preview.backfill.batches) byModel.set(b.model, [...(byModel.get(b.model) ?? []), [b.interval[0], b.interval[1]]]);
  console.log('\nModels needing backfill:');
  if (byModel.size === 0) console.log('  (none)');
  for (const [model, ranges] of byModel) {
    console.log(`  • ${model}: ${formatIntervals(mergeIntervals(ranges))}  (${ranges.length} batch${ranges.length === 1 ? '' : 'es'})`);
  }
  for (const d of preview.backfill.deferred) {
    console.log(`  ⏸ ${d.model}: ${formatIntervals([d.interval])} waits for ${d.waitingFor}`);
  }
  if (preview.pausedExecuted.length > 0) {
    console.log(`\nPaused models this plan executes anyway (runs keep skipping them): ${preview.pausedExecuted.join(', ')}`);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new SchedulerError('plan needs confirmation but standard input is not a terminal; pass --auto-apply');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
