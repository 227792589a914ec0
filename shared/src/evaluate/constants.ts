/** Constants of the evaluator: names it generates into SQL and the keywords it must recognise. */

/** Alias of a wrapped model query, `SELECT ... FROM (<query>) AS __meshcron_q`. */
export const QUERY_ALIAS = '__meshcron_q';

/** Connection-local table holding a batch's query output inside its transaction (merges, self-reading models). */
export const STAGING_TABLE = '__meshcron_staged';

/**
 * Aliases of the MERGE target and source; SQLMesh's `when_matched` and `merge_filter` are written against
 * `target.` and `source.`, so these exact names keep user SQL valid.
 */
export const MERGE_TARGET_ALIAS = 'target';
export const MERGE_SOURCE_ALIAS = 'source';

/**
 * Words that may directly follow a table reference without being its alias. When one of these (or
 * nothing) follows a rewritten reference, the rewriter adds `AS <table>` so column qualifiers keep working.
 */
export const NON_ALIAS_KEYWORDS: ReadonlySet<string> = new Set([
  'anti', 'asof', 'cross', 'except', 'fetch', 'for', 'from', 'full', 'group', 'having', 'inner', 'intersect',
  'join', 'lateral', 'left', 'limit', 'natural', 'offset', 'on', 'order', 'outer', 'pivot', 'positional',
  'qualify', 'returning', 'right', 'sample', 'select', 'semi', 'set', 'tablesample', 'union', 'unpivot',
  'using', 'values', 'where', 'window', 'with',
]);

/** Longest excerpt of generated SQL quoted in an error message. */
export const MAX_SQL_PREVIEW_CHARS = 300;

/** Microseconds per millisecond: batch bounds are epoch ms, the inclusive end is 1 µs before `end`. */
export const MICROS_PER_MS = 1000;

/** SQLMesh renders with the epoch day when there is no interval (sqlmesh-semantics §5.1). */
export const EPOCH_DAY: readonly [number, number] = [0, 86_400_000];

/** EMBEDDED models may embed each other; deeper than this is a cycle the loader missed. */
export const MAX_EMBED_DEPTH = 32;

/** First character of a bare SQL identifier. */
export const IDENT_START = /[\p{L}_]/u;
/** Any later character of a bare SQL identifier. */
export const IDENT_PART = /[\p{L}\p{N}_$]/u;
/** A single column name, bare or double-quoted (unique keys must be plain columns). */
export const PLAIN_IDENTIFIER = /^("([^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)$/u;

/** A formatted numeric time (`%Y%m%d` on an INTEGER column) is written as a bare number. */
export const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

/** The strftime directives the time formatter understands (letters after `%`). */
export const STRFTIME_DIRECTIVES = 'Y y m d H M S f j %';

/** Seed type inference, first match wins; a column whose non-empty cells all match gets the type. */
export const INFERRED_SEED_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^[+-]?\d{1,18}$/, 'BIGINT'],
  [/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'DOUBLE'],
  [/^(true|false)$/i, 'BOOLEAN'],
  [/^\d{4}-\d{2}-\d{2}$/, 'DATE'],
  [/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/, 'TIMESTAMP'],
];
