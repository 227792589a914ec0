import { ProjectParseError, type SourceLocation, UnsupportedFeatureError } from '../errors';
import { BUILT_IN_AUDITS, NON_BLOCKING_SUFFIX, UNSUPPORTED_BUILT_IN_AUDITS } from './constants';
import type { AuditDefinition, AuditUse } from './model';
import type { PropertyValue } from './property-parser';
import { describe, readBoolean } from './property-values';

/**
 * Reads `audits (not_null(columns := (id, ds)), unique_values(columns := (id)), my_audit)`: one audit or a
 * tuple/array of them, each a bare name or a call with named (`:=`) arguments. `blocking := ...` becomes the
 * use's `blocking` flag, and a built-in's `_non_blocking` twin becomes the built-in with `blocking: false`.
 *
 * @throws ProjectParseError for positional arguments or anything that is not an audit name or call.
 */
export function readAuditUses(value: PropertyValue, location: SourceLocation): AuditUse[] {
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  return items.map((item) => readAuditUse(item, { file: location.file, line: item.line }));
}

function readAuditUse(item: PropertyValue, location: SourceLocation): AuditUse {
  let rawName: string;
  const args: Record<string, string> = {};
  let blocking: boolean | undefined;
  if (item.type === 'identifier' && item.parts.length === 1) {
    rawName = item.parts[0] as string;
  } else if (item.type === 'string') {
    rawName = item.value;
  } else if (item.type === 'call') {
    rawName = item.name;
    for (const arg of item.args) {
      if (arg.type !== 'named') {
        throw new ProjectParseError(
          `audit '${item.name}' argument '${arg.text}' must be named, e.g. ${item.name}(columns := (id))`,
          location,
        );
      }
      const key = arg.key.toLowerCase();
      if (key === 'blocking') blocking = readBoolean(arg.value, `audit '${item.name}' argument 'blocking'`, location);
      else args[key] = arg.value.text;
    }
  } else {
    throw new ProjectParseError(
      `audits must be audit names or calls like not_null(columns := (id)), found ${describe(item)}`,
      location,
    );
  }
  let name = rawName.toLowerCase();
  if (name.endsWith(NON_BLOCKING_SUFFIX)) {
    const base = name.slice(0, -NON_BLOCKING_SUFFIX.length);
    if ((BUILT_IN_AUDITS as readonly string[]).includes(base)) {
      name = base;
      blocking = false;
    }
  }
  return blocking === undefined ? { name, args, location } : { name, args, blocking, location };
}

/**
 * Checks that every audit use names a built-in audit or a defined one (from audits/ or inline in the model).
 *
 * @throws UnsupportedFeatureError for a SQLMesh built-in Meshcron does not implement; ProjectParseError for an
 *   unknown name, listing the available audits.
 */
export function checkAuditUses(
  model: string,
  uses: readonly AuditUse[],
  defined: ReadonlyMap<string, AuditDefinition>,
): void {
  for (const use of uses) {
    if ((BUILT_IN_AUDITS as readonly string[]).includes(use.name) || defined.has(use.name)) continue;
    const base = use.name.endsWith(NON_BLOCKING_SUFFIX) ? use.name.slice(0, -NON_BLOCKING_SUFFIX.length) : use.name;
    if ((UNSUPPORTED_BUILT_IN_AUDITS as readonly string[]).includes(base)) {
      throw new UnsupportedFeatureError(
        `model '${model}' uses the SQLMesh built-in audit '${use.name}', which Meshcron does not implement yet; supported built-ins: ${BUILT_IN_AUDITS.join(', ')}`,
        use.location,
      );
    }
    const available = [...BUILT_IN_AUDITS, ...[...defined.keys()].sort()];
    throw new ProjectParseError(
      `model '${model}' uses unknown audit '${use.name}'; define it in audits/*.sql or use one of: ${available.join(', ')}`,
      use.location,
    );
  }
}
