import type { ResolvedAudit } from '../audit/resolve-audits';
import type { ModelDefinition } from '../project/model';
import type { SqlParser } from '../ports/sql-parser';
import type { Interval } from '../schedule/interval';
import type { PhysicalRelation } from './sql-dialect';

/** Where a parent model's rows are read from. */
export type ParentRelation =
  /** A physical table or view of a model, or an EXTERNAL model's own table. */
  | { readonly type: 'table'; readonly relation: PhysicalRelation }
  /** An EMBEDDED model: its query is rendered and inlined as a subquery. */
  | { readonly type: 'embedded'; readonly model: ModelDefinition };

/** Everything {@link evaluateBatch} needs to evaluate one batch of one model. */
export interface EvaluationRequest {
  readonly model: ModelDefinition;
  /** The model's physical table (or view, for VIEW models). */
  readonly target: PhysicalRelation;
  /**
   * Looks up a referenced model by normalised name (`shop.orders`). Undefined leaves the reference as written
   * (a table Meshcron does not manage). The model's own name always resolves to {@link target}.
   */
  readonly resolveParent: (name: string) => ParentRelation | undefined;
  /** The batch `[start, end)` in epoch ms; required for INCREMENTAL_BY_TIME_RANGE. */
  readonly batch?: Interval;
  readonly executionTimeMs: number;
  /** Name of the gateway the model runs on (`@gateway`). */
  readonly gateway: string;
  /** config.yaml variables merged with gateway variables, for `@name` / `@VAR('name')`. */
  readonly userVariables: Readonly<Record<string, unknown>>;
  /** Parses rendered queries to find the references to rewrite. */
  readonly parser: SqlParser;
  /** The model's audits with their definitions resolved (see resolveAudits); skipped ones left out. */
  readonly audits: readonly ResolvedAudit[];
  /**
   * True when the target may not exist yet (first batch of a new version): the evaluator then checks, and
   * creates it with runtime stage `creating`. False skips the check (later batches of a version).
   */
  readonly tableMayNotExist: boolean;
  /** Reads a SEED model's CSV by absolute path; required for SEED models (file access stays at the edge). */
  readonly readSeedFile?: (absolutePath: string) => Promise<string>;
}

/** What one evaluation did. */
export interface EvaluationResult {
  /** Rows written by this batch (inserted or merged); 0 for non-materialized views and EXTERNAL audits. */
  readonly rows: number;
  /** Messages of non-blocking audits that failed. */
  readonly warnings: string[];
}
