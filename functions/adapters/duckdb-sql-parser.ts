import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SqlParser, TableReference } from '../../shared/src/ports/sql-parser';
import { SqlSyntaxError } from '../../shared/src/render/sql-syntax-error';

/** What `json_serialize_sql` returns for SQL it cannot serialise. */
interface SerializeError {
  readonly error: true;
  readonly error_type?: string;
  readonly error_message?: string;
  /** Byte offset of the error in the SQL, as a string. */
  readonly position?: string;
}

/**
 * {@link SqlParser} on DuckDB's own parser: `json_serialize_sql` gives the parse tree, whose `BASE_TABLE` nodes
 * are the tables read. CTE names are subtracted where they are in scope (a CTE defined in a subquery does not
 * hide a real table of the same name elsewhere); table functions (`read_csv(...)`) and file scans
 * (`FROM 'data.parquet'`) are not tables and are left out.
 *
 * One in-memory DuckDB instance is created on first use and reused; calls are serialised on its connection.
 * Call {@link close} when done.
 */
export class DuckDbSqlParser implements SqlParser {
  private connection: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  async referencedTables(sql: string): Promise<TableReference[]> {
    const run = this.queue.then(() => this.parse(sql));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Closes the DuckDB instance; the parser can be used again afterwards (it reopens lazily). */
  async close(): Promise<void> {
    const open = this.connection;
    this.connection = undefined;
    if (open === undefined) return;
    await this.queue;
    const { instance, connection } = await open;
    connection.closeSync();
    instance.closeSync();
  }

  private async parse(sql: string): Promise<TableReference[]> {
    this.connection ??= DuckDBInstance.create(':memory:').then(async (instance) => ({
      instance,
      connection: await instance.connect(),
    }));
    const { connection } = await this.connection;
    // The cast is required: without it DuckDB cannot bind the parameter's type for json_serialize_sql.
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql(?::VARCHAR) AS tree', [sql]);
    const tree: unknown = JSON.parse(String(reader.getRowObjects()[0]?.tree));
    if (isSerializeError(tree)) throw syntaxError(tree, sql);
    const toIndex = byteOffsetToIndex(sql);
    const refs: TableReference[] = [];
    collectTables(tree, [], (node) => {
      const offset = toIndex(Number(node.query_location));
      // DuckDB turns `FROM 'file.csv'` into a BASE_TABLE named after the file; it reads a file, not a table.
      if (sql[offset] === "'") return;
      refs.push({
        ...(node.catalog_name ? { catalog: node.catalog_name } : {}),
        ...(node.schema_name ? { schema: node.schema_name } : {}),
        table: node.table_name,
        offset,
      });
    });
    return refs.sort((a, b) => a.offset - b.offset);
  }
}

interface BaseTableNode {
  readonly type: 'BASE_TABLE';
  readonly catalog_name?: string;
  readonly schema_name?: string;
  readonly table_name: string;
  readonly query_location?: number;
}

function isSerializeError(tree: unknown): tree is SerializeError {
  return typeof tree === 'object' && tree !== null && (tree as { error?: unknown }).error === true;
}

function isBaseTable(node: Record<string, unknown>): node is Record<string, unknown> & BaseTableNode {
  return node.type === 'BASE_TABLE' && typeof node.table_name === 'string';
}

/**
 * Walks the whole tree (so subqueries in any clause, joins, set operations and CTE bodies are all covered),
 * keeping a stack of CTE names in scope: a node's `cte_map` is visible to everything under that node.
 */
function collectTables(node: unknown, scopes: readonly (readonly string[])[], found: (node: BaseTableNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTables(item, scopes, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const cteMap = (record.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
  const inner = Array.isArray(cteMap) && cteMap.length > 0
    ? [...scopes, cteMap.map((entry) => String(entry.key).toLowerCase())]
    : scopes;
  if (isBaseTable(record)) {
    const bare = !record.schema_name && !record.catalog_name;
    const name = record.table_name.toLowerCase();
    if (!(bare && inner.some((scope) => scope.includes(name)))) found(record);
  }
  for (const value of Object.values(record)) {
    if (typeof value === 'object' && value !== null) collectTables(value, inner, found);
  }
}

/**
 * DuckDB reports positions as UTF-8 byte offsets; TableReference offsets are JS string indexes (UTF-16 code
 * units). Returns a converter for `sql`.
 */
function byteOffsetToIndex(sql: string): (byteOffset: number) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check for the fast path.
  if (/^[\u0000-\u007f]*$/.test(sql)) return (b) => b;
  const indexAtByte: number[] = [];
  let bytes = 0;
  for (let i = 0; i < sql.length; ) {
    const cp = sql.codePointAt(i) as number;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k += 1) indexAtByte[bytes + k] = i;
    bytes += width;
    i += cp > 0xffff ? 2 : 1;
  }
  return (b) => indexAtByte[b] ?? sql.length;
}

function syntaxError(tree: SerializeError, sql: string): SqlSyntaxError {
  const message = tree.error_message ?? 'the SQL could not be parsed';
  if (tree.error_type === 'not implemented') {
    return new SqlSyntaxError(`expected a SELECT query (the model query must be a single SELECT): ${message}`);
  }
  const position = tree.position === undefined ? undefined : Number(tree.position);
  if (position === undefined || !Number.isFinite(position)) return new SqlSyntaxError(message);
  const index = byteOffsetToIndex(sql)(position);
  const line = sql.slice(0, index).split('\n').length;
  return new SqlSyntaxError(`${message} (line ${line} of the query)`, line);
}
