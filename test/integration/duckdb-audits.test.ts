import type { Warehouse } from '../../shared/src/ports/warehouse';
import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { resolveAudits } from '../../shared/src/audit/resolve-audits';
import { AuditFailedError, ProjectParseError } from '../../shared/src/errors';
import { evaluateBatch } from '../../shared/src/evaluate/evaluate-batch';
import type { AuditDefinition, AuditUse, ModelDefinition } from '../../shared/src/project/model';
import { day, requestFor } from '../unit/evaluate/evaluation-fixture';
import { auditDefinition, auditUse, buildModel, timeRangeKind } from '../unit/evaluate/model-builder';

const PEOPLE = `
  CREATE SCHEMA raw;
  CREATE TABLE raw.people (id INTEGER, email VARCHAR, status VARCHAR, age INTEGER, ds DATE);
  INSERT INTO raw.people VALUES
    (1, 'a@x', 'active', 30, DATE '2024-01-01'),
    (2, NULL, 'active', 40, DATE '2024-01-02'),
    (2, 'c@x', 'banned', -1, DATE '2024-01-02');
`;

function withAudits(uses: AuditUse[], extra: Partial<ModelDefinition> = {}): ModelDefinition {
  return buildModel({ name: 'shop.people', query: 'SELECT id, email, status, age, ds FROM raw.people', audits: uses, ...extra });
}

describe('audits on DuckDB', () => {
  let warehouse: DuckDbWarehouse;

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:' });
    await warehouse.execute(PEOPLE);
  });
  afterEach(async () => {
    await warehouse.close();
  });

  async function warningsOf(model: ModelDefinition, projectAudits: AuditDefinition[] = [], batch?: readonly [number, number]) {
    const audits = resolveAudits(model, new Map(projectAudits.map((a) => [a.name, a])));
    return (await evaluateBatch(warehouse, requestFor(model, { audits, ...(batch ? { batch } : {}) }))).warnings;
  }

  it.each([
    ['not_null', { columns: '(id)' }, { columns: '(id, email)' }, 1],
    ['unique_values', { columns: '(email)' }, { columns: '(id, email)' }, 1],
    ['accepted_values', { column: 'status', is_in: `('active', 'banned')` }, { column: 'status', is_in: `('active')` }, 1],
    ['number_of_rows', { threshold: '2' }, { threshold: '3' }, 1],
    ['forall', { criteria: '(age > -5, id > 0)' }, { criteria: '(age >= 0, id > 0)' }, 1],
    ['forall', { criteria: '(age > -5)' }, { criteria: '[age >= 0, email IS NOT NULL]' }, 2],
  ])('%s passes on good data and fails on bad data', async (name, passing, failing, badRows) => {
    // Act
    const passed = await warningsOf(withAudits([auditUse(name, passing, false)]));
    const failed = await warningsOf(withAudits([auditUse(name, failing, false)]));

    // Assert
    expect(passed).toEqual([]);
    expect(failed).toEqual([
      `audit '${name}' (non-blocking, models/m.sql:3) failed for model 'shop.people': ${badRows} bad row(s)`,
    ]);
  });

  it('throws AuditFailedError for a failing blocking audit after committing the data', async () => {
    // Arrange
    const model = withAudits([auditUse('not_null', { columns: '(id)' }), auditUse('not_null', { columns: '(email)' })]);

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(model, { audits: resolveAudits(model, new Map()) }));

    // Assert
    await expect(attempt).rejects.toThrow(AuditFailedError);
    await expect(attempt).rejects.toMatchObject({ name: 'AuditFailedError', audit: 'not_null', badRows: 1 });
    expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__people__1')).toEqual([{ n: 3 }]);
  });

  it('reports non-blocking failures as warnings and blocking ones as errors in the same evaluation', async () => {
    // Arrange
    const model = withAudits([auditUse('unique_values_non_blocking', { columns: '(id)' }), auditUse('number_of_rows', { threshold: '5' })]);

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(model, { audits: resolveAudits(model, new Map()) }));

    // Assert
    await expect(attempt).rejects.toThrow("audit 'number_of_rows' failed for model 'shop.people': 1 bad row(s)");
  });

  it('audits only the batch of a time-range model', async () => {
    // Arrange: the NULL email is on 2024-01-02
    const model = withAudits([auditUse('not_null', { columns: '(email)' }, false)], { kind: timeRangeKind('ds') });

    // Act
    const clean = await warningsOf(model, [], [day(1), day(2)]);
    const dirty = await warningsOf(model, [], [day(1), day(3)]);

    // Assert
    expect(clean).toEqual([]);
    expect(dirty).toHaveLength(1);
  });

  it('renders a custom audit with its defaults, the use arguments and @this_model filtered to the batch', async () => {
    // Arrange
    const tooOld = auditDefinition('too_old', 'SELECT * FROM @this_model WHERE @column > @limit_value;', {
      blocking: false,
      defaults: { limit_value: '35' },
    });
    const model = withAudits([auditUse('too_old', { column: 'age' })], { kind: timeRangeKind('ds') });

    // Act
    const firstDay = await warningsOf(model, [tooOld], [day(1), day(2)]);
    const bothDays = await warningsOf(model, [tooOld], [day(1), day(3)]);

    // Assert
    expect(firstDay).toEqual([]);
    expect(bothDays).toEqual(["audit 'too_old' (non-blocking, models/m.sql:3) failed for model 'shop.people': 1 bad row(s)"]);
  });

  it('rewrites model references inside a custom audit', async () => {
    // Arrange
    const allowed = buildModel({ name: 'shop.allowed', query: 'SELECT 1 AS id' });
    await evaluateBatch(warehouse, requestFor(allowed));
    const unknownIds = auditDefinition('known_ids', 'SELECT * FROM @this_model AS p WHERE p.id NOT IN (SELECT id FROM shop.allowed)', {
      blocking: false,
    });
    const model = withAudits([auditUse('known_ids')]);
    const audits = resolveAudits(model, new Map([['known_ids', unknownIds]]));

    // Act
    const result = await evaluateBatch(warehouse, requestFor(model, { audits, parents: [allowed] }));

    // Assert
    expect(result.warnings).toEqual(["audit 'known_ids' (non-blocking, models/m.sql:3) failed for model 'shop.people': 2 bad row(s)"]);
  });

  it('gives FULL model audits no batch variables', async () => {
    // Arrange
    const dated = auditDefinition('dated', 'SELECT * FROM @this_model WHERE ds < @start_ds');
    const model = withAudits([auditUse('dated')]);
    const audits = resolveAudits(model, new Map([['dated', dated]]));

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(model, { audits, batch: [day(1), day(2)] }));

    // Assert
    await expect(attempt).rejects.toThrow(ProjectParseError);
    await expect(attempt).rejects.toThrow(/^audits\/dated\.sql:1: macro variable 'start_ds' is undefined/);
  });

  it('names the audit when its SQL fails', async () => {
    // Arrange
    const broken = auditDefinition('broken', 'SELECT * FROM @this_model WHERE no_such_column = 1');
    const model = withAudits([auditUse('broken')]);

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(model, { audits: resolveAudits(model, new Map([['broken', broken]])) }));

    // Assert
    await expect(attempt).rejects.toThrow(/^models\/m\.sql:3: audit 'broken' of model 'shop\.people' failed to run: DuckDB: Binder Error/);
  });

  it('runs the audits of an EXTERNAL model against its own table without writing', async () => {
    // Arrange
    const external = buildModel({ name: 'raw.people', kind: { name: 'EXTERNAL' }, query: '', audits: [auditUse('not_null', { columns: '(email)' }, false)] });
    const request = { ...requestFor(external, { audits: resolveAudits(external, new Map()) }), target: { schema: 'raw', table: 'people' } };

    // Act
    const result = await evaluateBatch(warehouse, request);

    // Assert
    expect(result).toEqual({
      rows: 0,
      warnings: ["audit 'not_null' (non-blocking, models/m.sql:3) failed for model 'raw.people': 1 bad row(s)"],
    });
  });

  it('runs the audits of one model concurrently', async () => {
    // Arrange: a warehouse that counts how many audit queries are in flight at once; each audit blocks
    // DuckDB for 100 ms, so queries sent one after another would never overlap.
    const slow = auditDefinition('slow', `SELECT * FROM @this_model WHERE (SELECT CAST(sleep_ms(100) AS VARCHAR)) = 'never'`);
    const model = withAudits([auditUse('slow'), auditUse('slow'), auditUse('slow')]);
    const audits = resolveAudits(model, new Map([['slow', slow]]));
    await evaluateBatch(warehouse, requestFor(model));
    let inFlight = 0;
    let peak = 0;
    const counting: Warehouse = Object.create(warehouse, {
      query: {
        value: async (sql: string) => {
          const isAudit = sql.includes('__meshcron_audit');
          if (isAudit) peak = Math.max(peak, ++inFlight);
          try {
            return await warehouse.query(sql);
          } finally {
            if (isAudit) inFlight -= 1;
          }
        },
      },
    });

    // Act
    await evaluateBatch(counting, requestFor(model, { audits, tableMayNotExist: false }));

    // Assert
    expect(peak).toBe(3);
  });
});
