import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { BatchRecord } from '../shared/src/ports/state-store';
import type { RunReporter } from '../shared/src/run/run-reporter';
import { formatDuration, formatInterval } from './format';

/** Backfills with at least this many batches get a progress bar (on a terminal). */
const PROGRESS_BAR_MIN_BATCHES = 10;

const MARK: Record<BatchRecord['status'], string> = { succeeded: '✔', failed: '✘', skipped: '–' };

/** One line per batch (model, interval, rows, duration, outcome), with a progress bar on long backfills. */
export class ConsoleReporter implements RunReporter {
  private bars: MultiBar | undefined;
  private bar: SingleBar | undefined;
  private done = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  started(total: number): void {
    if (total === 0) return;
    if (this.out.isTTY && total >= PROGRESS_BAR_MIN_BATCHES) {
      this.bars = new MultiBar(
        { format: '  [{bar}] {value}/{total} batches  {eta_formatted} left', hideCursor: true, clearOnComplete: true, stream: this.out },
        Presets.shades_classic,
      );
      this.bar = this.bars.create(total, 0);
    }
  }

  batchStarted(): void {}

  batchFinished(record: BatchRecord): void {
    this.done += 1;
    this.print(formatBatchLine(record));
    this.bar?.update(this.done);
  }

  note(message: string): void {
    this.print(`  ${message}`);
  }

  finished(): void {
    this.bars?.stop();
    this.bars = undefined;
    this.bar = undefined;
    this.done = 0;
  }

  private print(line: string): void {
    if (this.bars) this.bars.log(`${line}\n`);
    else this.out.write(`${line}\n`);
  }
}

export function formatBatchLine(r: BatchRecord): string {
  const rows = r.rows !== undefined ? `${r.rows} rows` : '';
  const detail = r.status === 'succeeded' ? '' : `  ${r.reason}${r.error ? `: ${firstLine(r.error)}` : ''}`;
  const warnings = (r.warnings ?? []).map((w) => `\n      warning: ${w}`).join('');
  return `  ${MARK[r.status]} ${r.model.padEnd(36)} ${formatInterval([r.start, r.end]).padEnd(44)} ${rows.padStart(10)}  ${formatDuration(r.durationMs).padStart(7)}${detail}${warnings}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
