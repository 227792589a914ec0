import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { NotFoundError } from '../../shared/src/errors';
import { promoteViews } from '../../shared/src/evaluate/promote';

describe('promoteViews on DuckDB', () => {
  let warehouse: DuckDbWarehouse;

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:' });
    await warehouse.execute(`
      CREATE SCHEMA sqlmesh__shop;
      CREATE TABLE sqlmesh__shop.shop__orders__1 AS SELECT 1 AS v;
      CREATE TABLE sqlmesh__shop.shop__orders__2 AS SELECT 2 AS v;
      CREATE TABLE sqlmesh__shop.shop__items__1 AS SELECT 10 AS v;`);
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('creates the view schema and points each view at its table', async () => {
    // Act
    await promoteViews(warehouse, [
      { view: { schema: 'shop__dev', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__1' },
      { view: { schema: 'shop__dev', table: 'items' }, target: '"sqlmesh__shop"."shop__items__1"' },
    ]);

    // Assert
    expect(await warehouse.query('SELECT v FROM shop__dev.orders')).toEqual([{ v: 1 }]);
    expect(await warehouse.query('SELECT v FROM shop__dev.items')).toEqual([{ v: 10 }]);
  });

  it('repoints an existing view and drops a view whose target is null', async () => {
    // Arrange
    await promoteViews(warehouse, [
      { view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__1' },
      { view: { schema: 'shop', table: 'items' }, target: 'sqlmesh__shop.shop__items__1' },
    ]);

    // Act
    await promoteViews(warehouse, [
      { view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__2' },
      { view: { schema: 'shop', table: 'items' }, target: null },
    ]);

    // Assert
    expect(await warehouse.query('SELECT v FROM shop.orders')).toEqual([{ v: 2 }]);
    expect(await warehouse.relationExists('shop', 'items')).toBe(false);
  });

  it('changes nothing when any target is missing, and names every missing one', async () => {
    // Arrange
    await promoteViews(warehouse, [{ view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__1' }]);

    // Act
    const attempt = promoteViews(warehouse, [
      { view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__2' },
      { view: { schema: 'shop', table: 'items' }, target: 'sqlmesh__shop.shop__items__9' },
      { view: { schema: 'shop', table: 'more' }, target: 'nowhere.t' },
    ]);

    // Assert
    await expect(attempt).rejects.toThrow(NotFoundError);
    await expect(attempt).rejects.toThrow(
      'cannot promote: target relation(s) "sqlmesh__shop"."shop__items__9", "nowhere"."t" do not exist; no view was changed',
    );
    expect(await warehouse.query('SELECT v FROM shop.orders')).toEqual([{ v: 1 }]);
    expect(await warehouse.relationExists('shop', 'items')).toBe(false);
  });

  it('rolls back every view change when one statement fails', async () => {
    // Arrange: a table (not a view) squats on one view name, so replacing it fails mid-transaction
    await promoteViews(warehouse, [{ view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__1' }]);
    await warehouse.execute('CREATE TABLE shop.items AS SELECT 0 AS v');

    // Act
    const attempt = promoteViews(warehouse, [
      { view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__2' },
      { view: { schema: 'shop', table: 'items' }, target: 'sqlmesh__shop.shop__items__1' },
    ]);

    // Assert
    await expect(attempt).rejects.toThrow(/^DuckDB: /);
    expect(await warehouse.query('SELECT v FROM shop.orders')).toEqual([{ v: 1 }]);
  });

  it('rejects a target that is not a dotted relation name', async () => {
    await expect(promoteViews(warehouse, [{ view: { schema: 's', table: 'v' }, target: 'just_a_table' }])).rejects.toThrow(
      "invalid promotion target 'just_a_table': expected schema.table or catalog.schema.table",
    );
  });
});
