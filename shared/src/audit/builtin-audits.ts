import { ProjectParseError, type SourceLocation } from '../errors';
import { splitListArgument } from '../evaluate/sql-scan';
import { AUDITED_ALIAS } from './constants';

/**
 * SQLMesh's built-in generic audits as SQL generators. Each returns a query selecting the bad rows of
 * `source` (a quoted relation or a parenthesised subquery, without alias); the audit fails when that query
 * returns any row. Arguments are the raw SQL text written in the model (`columns := (a, b)`).
 */

/** Shape of one built-in: its arguments and its SQL. */
interface BuiltinAudit {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly build: (source: string, args: Readonly<Record<string, string>>, location: SourceLocation) => string;
}

/** Appends the optional `condition := <expr>` every built-in accepts, restricting the rows checked. */
function withCondition(predicate: string, args: Readonly<Record<string, string>>): string {
  return args.condition ? `(${predicate}) AND (${args.condition})` : predicate;
}

function listArg(args: Readonly<Record<string, string>>, name: string, audit: string, loc: SourceLocation): string[] {
  const items = splitListArgument(args[name] ?? '');
  if (items.length === 0) {
    throw new ProjectParseError(`audit '${audit}': argument '${name}' must list at least one item, e.g. ${name} := (a, b)`, loc);
  }
  return items;
}

const BUILTINS: Readonly<Record<string, BuiltinAudit>> = {
  not_null: {
    required: ['columns'],
    optional: ['condition'],
    build: (source, args, loc) => {
      const nulls = listArg(args, 'columns', 'not_null', loc).map((c) => `(${c}) IS NULL`);
      return `SELECT * FROM ${source} AS ${AUDITED_ALIAS} WHERE ${withCondition(nulls.join(' OR '), args)}`;
    },
  },
  unique_values: {
    required: ['columns'],
    optional: ['condition'],
    // Each column must be unique on its own (not the combination). NULLs share one partition, so two NULLs
    // count as a duplicate, as in SQLMesh.
    build: (source, args, loc) => {
      const columns = listArg(args, 'columns', 'unique_values', loc);
      const ranks = columns.map((c, i) => `ROW_NUMBER() OVER (PARTITION BY ${c}) AS __meshcron_rank_${i}`);
      const where = args.condition ? ` WHERE ${args.condition}` : '';
      const dupes = columns.map((_c, i) => `__meshcron_rank_${i} > 1`).join(' OR ');
      return (
        `SELECT * FROM (SELECT *, ${ranks.join(', ')} FROM ${source} AS ${AUDITED_ALIAS}${where}) ` +
        `AS __meshcron_ranked WHERE ${dupes}`
      );
    },
  },
  accepted_values: {
    required: ['column', 'is_in'],
    optional: ['condition'],
    // NOT IN is unknown for NULL, so NULLs pass; combine with not_null to forbid them.
    build: (source, args, loc) => {
      const values = listArg(args, 'is_in', 'accepted_values', loc);
      const predicate = `(${args.column ?? ''}) NOT IN (${values.join(', ')})`;
      return `SELECT * FROM ${source} AS ${AUDITED_ALIAS} WHERE ${withCondition(predicate, args)}`;
    },
  },
  number_of_rows: {
    required: ['threshold'],
    optional: ['condition'],
    // Passes when there are MORE than `threshold` rows; reading at most threshold + 1 rows keeps it cheap.
    build: (source, args, loc) => {
      const threshold = (args.threshold ?? '').trim();
      if (!/^\d+$/.test(threshold)) {
        throw new ProjectParseError(
          `audit 'number_of_rows': threshold must be a non-negative integer, got '${threshold}'`,
          loc,
        );
      }
      const where = args.condition ? ` WHERE ${args.condition}` : '';
      const limit = BigInt(threshold) + 1n;
      return (
        `SELECT count(*) AS row_count FROM (SELECT 1 AS one FROM ${source} AS ${AUDITED_ALIAS}${where} ` +
        `LIMIT ${limit}) AS __meshcron_limited HAVING count(*) <= ${threshold}`
      );
    },
  },
  forall: {
    required: ['criteria'],
    optional: ['condition'],
    // A row is bad when any criterion is false; a NULL criterion is not a failure (NOT NULL is NULL).
    build: (source, args, loc) => {
      const criteria = listArg(args, 'criteria', 'forall', loc).map((c) => `(${c})`);
      const predicate = `NOT (${criteria.join(' AND ')})`;
      return `SELECT * FROM ${source} AS ${AUDITED_ALIAS} WHERE ${withCondition(predicate, args)}`;
    },
  },
};

/** Names of the built-in audits, without their `_non_blocking` twins. */
export const BUILTIN_AUDIT_NAMES: readonly string[] = Object.keys(BUILTINS);

/** True when `name` (lower-cased, `_non_blocking` removed) is a built-in audit. */
export function isBuiltinAudit(name: string): boolean {
  return Object.hasOwn(BUILTINS, name);
}

/**
 * Checks a use's arguments against a built-in's signature; throws ProjectParseError at the use's location
 * naming the missing or unknown argument and the allowed ones.
 */
export function validateBuiltinAuditArgs(
  name: string,
  args: Readonly<Record<string, string>>,
  location: SourceLocation,
): void {
  const audit = BUILTINS[name];
  if (!audit) throw new ProjectParseError(`'${name}' is not a built-in audit; built-ins: ${BUILTIN_AUDIT_NAMES.join(', ')}`, location);
  const allowed = [...audit.required, ...audit.optional];
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new ProjectParseError(`audit '${name}' has no argument '${key}'; allowed: ${allowed.join(', ')}`, location);
    }
  }
  for (const key of audit.required) {
    if (!(key in args) || (args[key] ?? '').trim() === '') {
      throw new ProjectParseError(
        `audit '${name}' needs argument '${key}' (${audit.required.map((r) => `${r} := ...`).join(', ')})`,
        location,
      );
    }
  }
}

/**
 * The bad-rows query of a built-in audit over `source`.
 *
 * @example
 * builtinAuditQuery('not_null', { columns: '(id, name)' }, '"s"."t"', loc);
 * // SELECT * FROM "s"."t" AS __meshcron_audited WHERE (id) IS NULL OR (name) IS NULL
 */
export function builtinAuditQuery(
  name: string,
  args: Readonly<Record<string, string>>,
  source: string,
  location: SourceLocation,
): string {
  validateBuiltinAuditArgs(name, args, location);
  const audit = BUILTINS[name] as BuiltinAudit;
  return audit.build(source, args, location);
}
