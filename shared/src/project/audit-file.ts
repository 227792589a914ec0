import { ProjectParseError, UnsupportedFeatureError } from '../errors';
import { assertSupportedMacroFunctions } from '../render/macros';
import { splitSqlStatements } from '../render/sql-statements';
import { AUDIT_PROPERTY_KEYS } from './constants';
import type { AuditDefinition } from './model';
import { type AuditBlock, assertNoJinja, isQueryStatement } from './model-file';
import { parsePropertyBlock, startsWithBlock } from './property-parser';
import { readBoolean, readKeyValues, readText } from './property-values';

/**
 * Parses an audits/*.sql file: any number of `AUDIT (name x, ...); <query>;` pairs.
 *
 * @throws ProjectParseError for a statement that is not an AUDIT block or its query, or a bad block.
 */
export function parseAuditFile(text: string, file: string): AuditDefinition[] {
  const statements = splitSqlStatements(text, { file, line: 1 });
  const audits: AuditDefinition[] = [];
  for (let i = 0; i < statements.length; i += 1) {
    const statement = statements[i] as (typeof statements)[number];
    assertNoJinja(statement);
    if (!startsWithBlock(statement, 'AUDIT')) {
      throw new ProjectParseError('expected AUDIT (name ..., ...); followed by its query', statement.location);
    }
    const query = statements[i + 1];
    if (query === undefined || !isQueryStatement(query)) {
      throw new ProjectParseError('an AUDIT (...) block must be followed by its SELECT query', statement.location);
    }
    audits.push(buildAuditDefinition({ block: parsePropertyBlock(statement, 'AUDIT'), query }));
    i += 1;
  }
  return audits;
}

/**
 * Builds an {@link AuditDefinition} from a parsed `AUDIT (...)` block and its query. Audits are blocking unless
 * `blocking false`; `defaults (k = v)` gives argument defaults as SQL text.
 *
 * @throws ProjectParseError for a missing name or an unknown property (listing the valid ones);
 *   UnsupportedFeatureError for standalone audits and macro functions in the query.
 */
export function buildAuditDefinition({ block, query }: AuditBlock): AuditDefinition {
  let name: string | undefined;
  let dialect: string | undefined;
  let blocking = true;
  let skip = false;
  const defaults: Record<string, string> = {};
  for (const { key, value, location } of block.properties) {
    switch (key) {
      case 'name':
        name = readText(value, "audit property 'name'", location).toLowerCase();
        break;
      case 'dialect':
        dialect = readText(value, "audit property 'dialect'", location).toLowerCase();
        break;
      case 'blocking':
        blocking = readBoolean(value, "audit property 'blocking'", location);
        break;
      case 'skip':
        skip = readBoolean(value, "audit property 'skip'", location);
        break;
      case 'defaults':
        for (const [k, v] of readKeyValues(value, "audit property 'defaults'", location)) defaults[k] = v;
        break;
      case 'standalone':
      case 'depends_on':
        throw new UnsupportedFeatureError(
          `standalone audits ('${key}') are not supported; attach the audit to a model with audits (...)`,
          location,
        );
      default:
        if (!(AUDIT_PROPERTY_KEYS as readonly string[]).includes(key)) {
          throw new ProjectParseError(
            `unknown audit property '${key}'; valid properties: ${AUDIT_PROPERTY_KEYS.join(', ')}`,
            location,
          );
        }
    }
  }
  if (name === undefined) throw new ProjectParseError('AUDIT (...) has no name; add name <audit_name>', block.location);
  assertSupportedMacroFunctions(query.sql, query.location);
  return {
    name,
    query: query.sql,
    blocking,
    skip,
    ...(dialect === undefined ? {} : { dialect }),
    defaults,
    location: block.location,
  };
}
