import type { SqlParser, TableReference } from '../../../shared/src/ports/sql-parser';

/**
 * A test double of the SqlParser port for the simple queries of these tests: every dotted name after FROM or
 * JOIN is a reference, except names defined as CTEs. (The real parser is DuckDB's; it is exercised by its
 * own tests.) Strings and comments are not handled, so test queries keep FROM/JOIN out of them.
 */
export const regexSqlParser: SqlParser = {
  async referencedTables(sql: string): Promise<TableReference[]> {
    const ctes = new Set([...sql.matchAll(/(?:\bWITH|,)\s+("?)([A-Za-z_][\w]*)\1\s+AS\s*\(/gi)].map((m) => (m[2] ?? '').toLowerCase()));
    const refs: TableReference[] = [];
    const pattern = /\b(?:FROM|JOIN)\s+((?:"[^"]+"|[A-Za-z_]\w*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_]\w*)){0,2})/gi;
    for (const m of sql.matchAll(pattern)) {
      const chain = m[1] ?? '';
      const parts = chain.split(/\s*\.\s*/).map((p) => p.replace(/^"|"$/g, ''));
      const offset = (m.index ?? 0) + (m[0].length - chain.length);
      const table = parts[parts.length - 1] ?? '';
      if (parts.length === 1 && ctes.has(table.toLowerCase())) continue;
      if (parts.length === 3) refs.push({ catalog: parts[0], schema: parts[1], table, offset });
      else if (parts.length === 2) refs.push({ schema: parts[0], table, offset });
      else refs.push({ table, offset });
    }
    return refs;
  },
};
