import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { ProjectParseError } from '../../shared/src/errors';
import { evaluateBatch } from '../../shared/src/evaluate/evaluate-batch';
import { day, requestFor, rowsOf } from '../unit/evaluate/evaluation-fixture';
import { buildModel, statement, timeRangeKind } from '../unit/evaluate/model-builder';

describe('evaluateBatch on DuckDB: rendering and statements', () => {
  let warehouse: DuckDbWarehouse;

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:' });
    await warehouse.execute(`CREATE SCHEMA audit_log; CREATE TABLE audit_log.calls (stage VARCHAR, model VARCHAR, start_ds VARCHAR, gw VARCHAR)`);
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('runs pre- and post-statements with runtime stage, this_model, gateway and batch variables', async () => {
    // Arrange
    const pre = `INSERT INTO audit_log.calls SELECT @runtime_stage, 'pre', @start_ds, @gateway`;
    const post = `INSERT INTO audit_log.calls SELECT @runtime_stage, (SELECT count(*) FROM @this_model)::VARCHAR, @start_ds, @gateway;`;
    const model = buildModel({
      name: 'shop.calls',
      kind: timeRangeKind('ds'),
      query: 'SELECT @start_date AS ds, @n AS n',
      preStatements: [statement('@DEF(n, 7)'), statement(pre)],
      postStatements: [statement(post)],
    });

    // Act
    await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));
    await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], userVariables: { n: 8 } }));

    // Assert: the @DEF local reaches the query and wins over the user variable of the same name
    expect(await rowsOf(warehouse, 'audit_log.calls', 'start_ds, model')).toEqual([
      { stage: 'creating', model: '1', start_ds: '2024-01-01', gw: 'local' },
      { stage: 'creating', model: 'pre', start_ds: '2024-01-01', gw: 'local' },
      { stage: 'evaluating', model: '2', start_ds: '2024-01-02', gw: 'local' },
      { stage: 'evaluating', model: 'pre', start_ds: '2024-01-02', gw: 'local' },
    ]);
    expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__calls__1', 'ds')).toEqual([{ ds: '2024-01-01', n: 7 }, { ds: '2024-01-02', n: 7 }]);
  });

  it('gives a FULL query the execution variables only', async () => {
    // Arrange
    const ok = buildModel({ name: 'shop.asof', query: 'SELECT @execution_ds AS as_of, @VAR(\'region\', \'eu\') AS region' });
    const bad = buildModel({ name: 'shop.ranged', query: 'SELECT @start_ds AS d' });

    // Act
    await evaluateBatch(warehouse, requestFor(ok, { batch: [day(1), day(2)] }));
    const attempt = evaluateBatch(warehouse, requestFor(bad, { batch: [day(1), day(2)] }));

    // Assert
    expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__asof__1', 'as_of')).toEqual([{ as_of: '2024-01-10', region: 'eu' }]);
    await expect(attempt).rejects.toThrow(ProjectParseError);
    await expect(attempt).rejects.toThrow(/^models\/shop_ranged\.sql:1: macro variable 'start_ds' is undefined/);
  });

  it('rolls the write back when a post-statement fails, naming the statement line', async () => {
    // Arrange
    const model = buildModel({ name: 'shop.post', query: 'SELECT 1 AS x' });
    await evaluateBatch(warehouse, requestFor(model));
    const failing = buildModel({
      name: 'shop.post',
      query: 'SELECT 2 AS x',
      postStatements: [statement('INSERT INTO audit_log.missing VALUES (1)', 42)],
    });

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(failing, { tableMayNotExist: false }));

    // Assert
    await expect(attempt).rejects.toThrow(/^models\/m\.sql:42: model 'shop\.post': post-statement failed: DuckDB: Catalog Error/);
    expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__post__1', 'x')).toEqual([{ x: 1 }]);
  });

  it('does not create the table when a pre-statement fails', async () => {
    // Arrange
    const model = buildModel({ name: 'shop.pre', preStatements: [statement('SELECT * FROM nowhere.nothing', 5)] });

    // Act
    const attempt = evaluateBatch(warehouse, requestFor(model));

    // Assert
    await expect(attempt).rejects.toThrow(/^models\/m\.sql:5: model 'shop\.pre': pre-statement failed/);
    expect(await warehouse.relationExists('sqlmesh__shop', 'shop__pre__1')).toBe(false);
  });

  it('reads its own table through the model name', async () => {
    // Arrange
    const model = buildModel({
      name: 'shop.counter',
      dependsOnSelf: true,
      query: 'SELECT 1 AS n',
    });
    await evaluateBatch(warehouse, requestFor(model));
    const next = buildModel({ name: 'shop.counter', dependsOnSelf: true, query: 'SELECT max(n) + 1 AS n FROM shop.counter' });

    // Act
    await evaluateBatch(warehouse, requestFor(next, { tableMayNotExist: false }));
    await evaluateBatch(warehouse, requestFor(next, { tableMayNotExist: false }));

    // Assert
    expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__counter__1', 'n')).toEqual([{ n: 3 }]);
  });
});
