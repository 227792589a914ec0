/**
 * Every error Meshcron raises on purpose derives from {@link SchedulerError}. Each class sets a literal
 * `name` (never `constructor.name`, which bundlers mangle) so that callers, the CLI and Step Functions
 * `Catch` clauses can route on it.
 */

/** Where in a project file something is, for error messages (`models/events.sql:4`). */
export interface SourceLocation {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}` : '';
}

export class SchedulerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SchedulerError';
  }
}

/** A project file is malformed or inconsistent. The message starts with `file:line:`. */
export class ProjectParseError extends SchedulerError {
  readonly location: SourceLocation | undefined;
  constructor(message: string, location?: SourceLocation, options?: ErrorOptions) {
    super(location ? `${formatLocation(location)}: ${message}` : message, options);
    this.name = 'ProjectParseError';
    this.location = location;
  }
}

/** A cron expression or time zone is invalid. */
export class CronError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CronError';
  }
}

/** A value could not be read as a time (date, instant, epoch ms or relative expression). */
export class TimeParseError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimeParseError';
  }
}

/** The model graph has a cycle; `cycle` lists the models in order, first repeated at the end. */
export class DagCycleError extends SchedulerError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[], location?: SourceLocation) {
    super(
      `${location ? `${formatLocation(location)}: ` : ''}dependency cycle: ${cycle.join(' -> ')}`,
    );
    this.name = 'DagCycleError';
    this.cycle = cycle;
  }
}

/** A write to processed intervals conflicted with a concurrent writer. */
export class IntervalConflictError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IntervalConflictError';
  }
}

/** A requested thing (environment, model, run) does not exist. */
export class NotFoundError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A feature that a project uses but Meshcron does not support yet. */
export class UnsupportedFeatureError extends SchedulerError {
  readonly location: SourceLocation | undefined;
  constructor(message: string, location?: SourceLocation) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
    this.name = 'UnsupportedFeatureError';
    this.location = location;
  }
}

/** SQL failed in the warehouse while evaluating a model or audit. */
export class EvaluationError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EvaluationError';
  }
}

/** A blocking audit returned bad rows. */
export class AuditFailedError extends SchedulerError {
  readonly audit: string;
  readonly badRows: number;
  constructor(audit: string, badRows: number, model: string) {
    super(`audit '${audit}' failed for model '${model}': ${badRows} bad row(s)`);
    this.name = 'AuditFailedError';
    this.audit = audit;
    this.badRows = badRows;
  }
}

/** Normalises anything thrown into an Error, so catch blocks never deal with `unknown`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  // Errors from another realm (native addons, jest's VM contexts) fail instanceof but still carry a message.
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    const foreign = value as { message: string; name?: unknown; stack?: unknown };
    const error = new Error(foreign.message, { cause: value });
    if (typeof foreign.name === 'string') error.name = foreign.name;
    if (typeof foreign.stack === 'string') error.stack = foreign.stack;
    return error;
  }
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
