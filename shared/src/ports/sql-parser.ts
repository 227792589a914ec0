/**
 * Parses SQL far enough to find the tables a query reads. Implemented with DuckDB's own parser
 * (`json_serialize_sql`) in functions/adapters; the core never parses SQL structure itself.
 */
export interface TableReference {
  readonly catalog?: string;
  readonly schema?: string;
  readonly table: string;
  /**
   * JS string index (UTF-16 code units, not bytes) in the parsed SQL where the reference starts, i.e. the first
   * character of the dotted name chain. Lets the evaluator rewrite model names to physical tables in place.
   */
  readonly offset: number;
}

export interface SqlParser {
  /**
   * Base tables referenced anywhere in `sql` (a single SELECT / set operation whose macros are already
   * rendered), with CTE names removed. Names are as written (case kept); callers normalise.
   * Throws SqlSyntaxError with the parser's message when the SQL does not parse.
   */
  referencedTables(sql: string): Promise<TableReference[]>;
}
