import { AuditFailedError, EvaluationError, formatLocation } from '../errors';
import { errorMessage } from '../evaluate/error-message';
import type { EvaluationRequest } from '../evaluate/evaluation-request';
import { modelMacroVariables, rewriteReferencesIn } from '../evaluate/render-model';
import type { SqlDialect } from '../evaluate/sql-dialect';
import { stripTrailingSemicolons } from '../evaluate/sql-scan';
import type { Row, Warehouse } from '../ports/warehouse';
import { renderMacros } from '../render/macros';
import { builtinAuditQuery } from './builtin-audits';
import type { ResolvedAudit } from './resolve-audits';

/** What the audits of one evaluation look at. */
export interface AuditScope {
  /** The model's quoted physical relation. */
  readonly relation: string;
  /** Batch predicate for time-ranged models; undefined = the whole table (§7). */
  readonly batchPredicate?: string;
}

/** The outcome of one audit. */
export interface AuditOutcome {
  readonly audit: ResolvedAudit;
  readonly badRows: number;
}

/**
 * Builds the bad-rows query of one audit: a built-in's generated SQL, or a custom audit's query with its
 * arguments and `@this_model` rendered as macro variables and model references rewritten.
 */
export async function buildAuditQuery(
  audit: ResolvedAudit,
  scope: AuditScope,
  request: EvaluationRequest,
  dialect: SqlDialect,
): Promise<string> {
  const batchRows = scope.batchPredicate
    ? `SELECT * FROM ${scope.relation} WHERE ${scope.batchPredicate}`
    : undefined;
  if (!audit.definition) {
    const source = batchRows ? `(${batchRows})` : scope.relation;
    return builtinAuditQuery(audit.name, audit.args, source, audit.location);
  }
  const definition = audit.definition;
  const thisModel = batchRows ? dialect.subqueryRelation(batchRows) : scope.relation;
  const variables = {
    ...audit.args,
    ...modelMacroVariables(request, request.model, 'auditing', 'query', thisModel),
  };
  const rendered = stripTrailingSemicolons(
    renderMacros(definition.query, { variables, userVariables: request.userVariables, location: definition.location }),
  );
  return rewriteReferencesIn(rendered, request, dialect, definition.location);
}

/**
 * Runs every audit concurrently (they only read) and counts each one's bad rows.
 *
 * @throws EvaluationError when an audit's SQL fails, naming the audit and where it is used.
 */
export async function runAudits(
  warehouse: Warehouse,
  request: EvaluationRequest,
  dialect: SqlDialect,
  scope: AuditScope,
): Promise<AuditOutcome[]> {
  return Promise.all(
    request.audits.map(async (audit) => {
      const sql = await buildAuditQuery(audit, scope, request, dialect);
      let rows: Row[];
      try {
        rows = await warehouse.query(`SELECT count(*) AS bad_rows FROM (\n${sql}\n) AS __meshcron_audit`);
      } catch (e) {
        throw new EvaluationError(
          `${formatLocation(audit.location)}: audit '${audit.name}' of model '${request.model.name}' failed to run: ` +
            errorMessage(e),
          { cause: e },
        );
      }
      return { audit, badRows: Number(rows[0]?.bad_rows ?? 0) };
    }),
  );
}

/**
 * Turns audit outcomes into the evaluation's verdict: messages for failed non-blocking audits, and an
 * AuditFailedError for the first failed blocking audit (in the model's declaration order).
 */
export function judgeAudits(outcomes: readonly AuditOutcome[], model: string): string[] {
  const blocking = outcomes.find((o) => o.badRows > 0 && o.audit.blocking);
  if (blocking) throw new AuditFailedError(blocking.audit.name, blocking.badRows, model);
  return outcomes
    .filter((o) => o.badRows > 0)
    .map(
      (o) =>
        `audit '${o.audit.name}' (non-blocking, ${formatLocation(o.audit.location)}) failed for model '${model}': ` +
        `${o.badRows} bad row(s)`,
    );
}
