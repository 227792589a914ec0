import { ProjectParseError, type SourceLocation } from '../errors';
import type { AuditDefinition, ModelDefinition } from '../project/model';
import { NON_BLOCKING_SUFFIX } from './constants';
import { BUILTIN_AUDIT_NAMES, isBuiltinAudit, validateBuiltinAuditArgs } from './builtin-audits';

/** An audit use bound to what it runs. */
export interface ResolvedAudit {
  /** Audit name, lower-cased, without a `_non_blocking` suffix for built-ins. */
  readonly name: string;
  /** Arguments as SQL text: the definition's defaults overridden by the use's arguments. */
  readonly args: Readonly<Record<string, string>>;
  readonly blocking: boolean;
  /** The custom `AUDIT` definition; undefined = the built-in audit {@link name}. */
  readonly definition?: AuditDefinition;
  /** Where the audit is used (the model's `audits (...)`). */
  readonly location: SourceLocation;
}

/**
 * Binds each of the model's `audits (...)` uses to an inline `AUDIT` of the model, a project audit from
 * `audits/`, or a built-in (in that order), dropping audits defined with `skip true`.
 * Blocking is the use's `blocking :=` (or `_non_blocking` twin), else the definition's, else true.
 *
 * @throws ProjectParseError at the use for an unknown audit (listing what exists) or bad built-in arguments.
 */
export function resolveAudits(
  model: ModelDefinition,
  projectAudits: ReadonlyMap<string, AuditDefinition>,
): ResolvedAudit[] {
  const resolved: ResolvedAudit[] = [];
  for (const use of model.audits) {
    const name = use.name.toLowerCase();
    const definition = model.inlineAudits.find((a) => a.name.toLowerCase() === name) ?? projectAudits.get(name);
    if (definition) {
      if (definition.skip) continue;
      resolved.push({
        name,
        args: { ...lowerKeys(definition.defaults), ...lowerKeys(use.args) },
        blocking: use.blocking ?? definition.blocking,
        definition,
        location: use.location,
      });
      continue;
    }
    // The loader strips the suffix already; accept it unstripped too so a hand-built use behaves the same.
    const twin = name.endsWith(NON_BLOCKING_SUFFIX) ? name.slice(0, -NON_BLOCKING_SUFFIX.length) : undefined;
    const builtin = isBuiltinAudit(name) ? name : twin !== undefined && isBuiltinAudit(twin) ? twin : undefined;
    if (builtin === undefined) {
      const custom = [...model.inlineAudits.map((a) => a.name), ...projectAudits.keys()];
      throw new ProjectParseError(
        `model '${model.name}' uses unknown audit '${use.name}'; built-in audits: ${BUILTIN_AUDIT_NAMES.join(', ')}` +
          (custom.length > 0 ? `; project audits: ${custom.join(', ')}` : '; the project defines no audits'),
        use.location,
      );
    }
    const args = lowerKeys(use.args);
    validateBuiltinAuditArgs(builtin, args, use.location);
    resolved.push({
      name: builtin,
      args,
      blocking: builtin === name ? (use.blocking ?? true) : false,
      location: use.location,
    });
  }
  return resolved;
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
