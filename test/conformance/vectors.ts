import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Loader for the SQLMesh conformance vectors (one JSON case per line). The canonical file lives outside the
 * repository at `../shared/conformance/vectors.jsonl`; a copy is committed beside this file so the suite runs
 * anywhere. When both exist, `schedule-vectors.test.ts` asserts they are identical.
 */

/** One conformance case, as transcribed from a SQLMesh test. */
export interface Vector {
  readonly id: string;
  readonly source_test: string;
  readonly fn: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly expected: unknown;
  readonly note?: string;
}

/** The canonical vectors file shared between projects (may be absent on CI machines). */
export const SHARED_VECTORS_PATH = path.resolve(__dirname, '../../../shared/conformance/vectors.jsonl');

/** The copy committed with the repository. */
export const LOCAL_VECTORS_PATH = path.resolve(__dirname, 'vectors.jsonl');

/** The vectors file to read: the shared one when present, else the committed copy. */
export function vectorsPath(): string {
  return fs.existsSync(SHARED_VECTORS_PATH) ? SHARED_VECTORS_PATH : LOCAL_VECTORS_PATH;
}

/** Reads and parses every case; throws naming the line when one is not valid JSON or lacks id/fn. */
export function loadVectors(file: string = vectorsPath()): Vector[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const vectors: Vector[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not valid JSON`, { cause: error });
    }
    const v = parsed as Partial<Vector>;
    if (typeof v.id !== 'string' || typeof v.fn !== 'string' || typeof v.inputs !== 'object' || v.inputs === null) {
      throw new Error(`${file}:${index + 1}: a vector needs string 'id' and 'fn' and an 'inputs' object`);
    }
    vectors.push(v as Vector);
  });
  return vectors;
}

/** Vector functions run by `schedule-vectors.test.ts` (time, cron, intervals, batching, variables). */
export const SCHEDULE_VECTOR_FNS = [
  'to_datetime',
  'to_timestamp',
  'is_categorical_relative_expression',
  'is_relative',
  'to_ts',
  'to_tstz',
  'make_inclusive',
  'date_dict',
  'cron_next',
  'cron_prev',
  'cron_floor',
  'unit_next',
  'unit_prev',
  'unit_floor',
  'interval_unit_from_cron',
  'effective_interval_unit',
  'lookback_start',
  'inclusive_exclusive',
  'add_interval',
  'merge_snapshot_intervals',
  'missing_intervals',
  'missing_intervals_multi',
  'compute_interval_params',
  'restate',
  'get_removal_interval',
  'interval_diff',
  'contiguous_groups',
  'check_ready_intervals',
  'batch_intervals',
  'batch_dag',
  'next_model_interval_start',
  'next_auto_restatement_interval',
  'apply_auto_restatements',
  'render_vars',
] as const;

/** Vector functions run by `naming-vectors.test.ts` (physical/view names, fingerprints, requirements). */
export const NAMING_VECTOR_FNS = [
  'table_name',
  'view_name',
  'display_name',
  'fingerprint_version',
  'parse_requirements_lock',
] as const;
