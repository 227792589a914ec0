import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDbSqlParser } from '../../functions/adapters/duckdb-sql-parser';
import { openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { createLocalDynamoDbClient, type DynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { DynamoDbRunJobStore } from '../../functions/adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { fixedClock } from '../../shared/src/ports/clock';
import type { BatchRecord, StateStore } from '../../shared/src/ports/state-store';
import type { Warehouse } from '../../shared/src/ports/warehouse';
import { loadProject } from '../../shared/src/project/load-project';
import type { Project } from '../../shared/src/project/model';
import { applyPlan, computePlan, type PlanResult } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import type { ExecuteBatchesDeps } from '../../shared/src/run/execute-batches';
import { runEnvironment, type RunSummary } from '../../shared/src/run/run-environment';
import { silentReporter } from '../../shared/src/run/run-reporter';

let tableCounter = 0;

/** Opens the stack's warehouse; `root` is the stack's temp folder (the default puts a DuckDB file there). */
export type WarehouseFactory = (root: string) => Promise<Warehouse>;

const openDuckDbInRoot: WarehouseFactory = (root) => openDuckDbWarehouse({ database: path.join(root, 'warehouse.duckdb') });

/**
 * The embedded stack for integration tests: a copy of a project in a temp folder, its own DynamoDB table on
 * a shared DynamoDB Local, a warehouse (a DuckDB file unless a factory is given), and helpers to plan and
 * run at given execution times.
 */
export class EmbeddedStack {
  private constructor(
    readonly root: string,
    readonly state: StateStore,
    readonly warehouse: Warehouse,
    readonly parser: DuckDbSqlParser,
    /** Run-job bookkeeping on the same table, for the distributed (state machine) path. */
    readonly jobs: DynamoDbRunJobStore,
  ) {}

  static async open(
    dynamo: DynamoDbLocal,
    exampleDir: string,
    openWarehouse: WarehouseFactory = openDuckDbInRoot,
  ): Promise<EmbeddedStack> {
    const root = await mkdtemp(path.join(tmpdir(), 'meshcron-it-'));
    await cp(exampleDir, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.meshcron`) });
    tableCounter += 1;
    const client = createLocalDynamoDbClient(dynamo.endpoint);
    const tableName = `it-${process.pid}-${tableCounter}`;
    const state = new DynamoDbStateStore({ client, tableName });
    await state.init();
    const warehouse = await openWarehouse(root);
    return new EmbeddedStack(root, state, warehouse, new DuckDbSqlParser(), new DynamoDbRunJobStore({ client, tableName }));
  }

  async load(): Promise<Project> {
    return loadProject(this.root, { sqlParser: this.parser });
  }

  deps(nowMs: number): ExecuteBatchesDeps {
    return {
      state: this.state,
      warehouse: this.warehouse,
      sqlParser: this.parser,
      clock: fixedClock(nowMs),
      reporter: silentReporter,
      readSeedFile: (file) => readFile(file, 'utf8'),
    };
  }

  async plan(environment: string, executionTime: string, planId = `plan-${environment}-${executionTime}`): Promise<PlanResult> {
    const project = await this.load();
    const t = Date.parse(executionTime);
    const preview = await computePlan(project, await seedContentHashes(project), { environment, planId, executionTimeMs: t }, this.deps(t));
    return applyPlan(preview, 4, this.deps(t));
  }

  async run(environment: string, executionTime: string, runId = `run-${environment}-${executionTime}`): Promise<RunSummary> {
    const t = Date.parse(executionTime);
    return runEnvironment({ environment, runId, executionTimeMs: t, concurrency: 4 }, this.deps(t));
  }

  async count(relation: string): Promise<number> {
    const rows = await this.warehouse.query(`SELECT COUNT(*) AS n FROM ${relation}`);
    return Number(rows[0]?.n);
  }

  async close(): Promise<void> {
    await this.warehouse.close();
    await this.parser.close();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** `model → [[startIso, endIso), ...]` of a run's batches, for comparing with expected.json. */
export function batchesByModel(batches: readonly BatchRecord[]): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  for (const b of [...batches].sort((x, y) => x.start - y.start)) {
    (out[b.model] ??= []).push([new Date(b.start).toISOString().replace('.000Z', 'Z'), new Date(b.end).toISOString().replace('.000Z', 'Z')]);
  }
  return out;
}
