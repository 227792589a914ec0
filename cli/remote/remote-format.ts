import type { BatchRecord } from '../../shared/src/ports/state-store';
import { formatBatchLine } from '../console-reporter';
import { formatInstant, formatIntervals } from '../format';
import type { BatchView, EnvironmentView } from './api-views';

const ms = (iso: string): number => Date.parse(iso);

/** A batch of the API as the record the embedded CLI prints, so both print the very same line. */
export function batchRecordOf(runId: string, view: BatchView): BatchRecord {
  const [start, end] = [ms(view.interval[0]), ms(view.interval[1])];
  return {
    runId,
    batchId: `${view.model}|${start}|${end}`,
    model: view.model,
    version: view.version,
    start,
    end,
    status: view.status,
    reason: view.reason,
    ...(view.error !== null ? { error: view.error } : {}),
    durationMs: view.durationMs,
    ...(view.rows !== null ? { rows: view.rows } : {}),
    finishedTs: ms(view.finishedAt),
  };
}

/** `meshcron status` lines for an environment read from the API (same layout as the embedded command). */
export function environmentStatusLines(view: EnvironmentView): string[] {
  const lines = [`Environment '${view.name}' as of ${formatInstant(ms(view.asOf))} UTC`, ''];
  for (const m of view.models) {
    const ranges = (rs: readonly [string, string][]) => rs.map(([s, e]) => [ms(s), ms(e)] as [number, number]);
    const behind = m.behind.length > 0 ? `behind ${formatIntervals(ranges(m.behind))}` : 'up to date';
    const next = m.nextRun !== null ? `next ${formatInstant(ms(m.nextRun))}` : '';
    const last = m.lastBatch ? `last ${m.lastBatch.reason}` : '';
    lines.push(`  ${m.name.padEnd(36)} ${m.kind.padEnd(26)} ${formatIntervals(ranges(m.processed))}`);
    lines.push(`  ${''.padEnd(36)} ${[behind, next, last].filter(Boolean).join(' · ')}`);
  }
  return lines;
}

/** The next instant any model's cron fires, as the environment reports it; undefined if none runs on a cron. */
export function nextRunOf(view: EnvironmentView): number | undefined {
  const next = view.models.flatMap((m) => (m.nextRun === null ? [] : [ms(m.nextRun)]));
  return next.length > 0 ? Math.min(...next) : undefined;
}

/** The line the embedded CLI prints for a finished batch. */
export function batchLine(runId: string, view: BatchView): string {
  return formatBatchLine(batchRecordOf(runId, view));
}
