import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDbSqlParser } from '../../functions/adapters/duckdb-sql-parser';
import { loadProject } from '../../shared/src/project/load-project';
import type { Project } from '../../shared/src/project/model';
import { systemClock } from '../../shared/src/ports/clock';
import type { ExecuteBatchesDeps } from '../../shared/src/run/execute-batches';
import type { RunReporter } from '../../shared/src/run/run-reporter';
import { openLocalStack, type LocalStack } from '../local-stack';

/** Options every command shares. */
export interface GlobalOptions {
  readonly project: string;
  readonly gateway?: string;
  readonly json?: boolean;
}

/** Loads the project with a throwaway parser (loading must fail before anything starts or is written). */
export async function loadProjectAt(root: string): Promise<Project> {
  const parser = new DuckDbSqlParser();
  try {
    return await loadProject(path.resolve(root), { sqlParser: parser });
  } finally {
    await parser.close();
  }
}

/** Runs `fn` with the local stack open, and always closes it (DynamoDB Local must not outlive the CLI). */
export async function withLocalStack<T>(
  project: Project,
  options: GlobalOptions,
  fn: (stack: LocalStack) => Promise<T>,
): Promise<T> {
  const stack = await openLocalStack(project.root, project.config, options.gateway);
  const stop = (): void => {
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(stack);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await stack.close();
  }
}

export function executionDeps(stack: LocalStack, reporter: RunReporter): ExecuteBatchesDeps {
  return {
    state: stack.state,
    warehouse: stack.warehouse,
    sqlParser: stack.sqlParser,
    clock: systemClock,
    reporter,
    readSeedFile: (file) => readFile(file, 'utf8'),
  };
}

export function newRunId(prefix: 'plan' | 'run', nowMs: number): string {
  return `${prefix}-${new Date(nowMs).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}
