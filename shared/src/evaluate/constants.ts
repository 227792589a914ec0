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
