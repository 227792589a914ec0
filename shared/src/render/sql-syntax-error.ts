import { ProjectParseError } from '../errors';

/**
 * SQL that the parser rejected (the error the {@link SqlParser} port names). It has no file location of its
 * own: the parser only sees SQL text, so `sqlLine` says where inside that text, and the caller (the project
 * loader, the evaluator) rethrows it with the file and line of the statement.
 */
export class SqlSyntaxError extends ProjectParseError {
  /** 1-based line inside the parsed SQL text, when the parser reported a position. */
  readonly sqlLine: number | undefined;
  constructor(message: string, sqlLine?: number, options?: ErrorOptions) {
    super(message, undefined, options);
    this.name = 'SqlSyntaxError';
    this.sqlLine = sqlLine;
  }
}
