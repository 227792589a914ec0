import { createHash } from 'node:crypto';
import {
  displayName,
  formatTableName,
  normalizeEnvironmentName,
  parseModelName,
  physicalSchemaName,
  physicalTableName,
  quoteIdentifier,
  viewName,
} from '../../../shared/src/snapshot/naming';

describe('parseModelName', () => {
  it.each([
    ['events', { schema: 'default', table: 'events' }],
    ['shop.orders', { schema: 'shop', table: 'orders' }],
    ['db.shop.orders', { catalog: 'db', schema: 'shop', table: 'orders' }],
    ['"a.b".c', { schema: 'a.b', table: 'c' }],
    ['"say ""hi""".t', { schema: 'say "hi"', table: 't' }],
    ['a-b.c.d', { catalog: 'a-b', schema: 'c', table: 'd' }],
  ])('splits %j', (name, expected) => {
    expect(parseModelName(name)).toEqual(expected);
  });

  it('rejects an empty part, naming the file and line', () => {
    expect(() => parseModelName('shop..orders', { file: 'models/orders.sql', line: 3 })).toThrowErrorMatchingInlineSnapshot(
      `"models/orders.sql:3: invalid model name 'shop..orders': empty name part; expected table, schema.table or catalog.schema.table"`,
    );
  });

  it('rejects more than three parts', () => {
    expect(() => parseModelName('a.b.c.d')).toThrowErrorMatchingInlineSnapshot(
      `"invalid model name 'a.b.c.d': 4 dot-separated parts; expected table, schema.table or catalog.schema.table"`,
    );
  });

  it('rejects an empty name and an unterminated quote', () => {
    expect(() => parseModelName('')).toThrow(/empty name part/);
    expect(() => parseModelName('"shop.orders')).toThrowErrorMatchingInlineSnapshot(
      `"invalid model name '"shop.orders': unterminated double quote; close it or remove it"`,
    );
  });

  it('throws a ProjectParseError', () => {
    expect(() => parseModelName('a..b')).toThrow(expect.objectContaining({ name: 'ProjectParseError' }));
  });
});

describe('quoteIdentifier and formatTableName', () => {
  it.each([
    ['orders', 'orders'],
    ['_tmp1', '_tmp1'],
    ['café', 'café'],
    ['a-b', '"a-b"'],
    ['1st', '"1st"'],
    ['my table', '"my table"'],
    ['say "hi"', '"say ""hi"""'],
  ])('writes %j as %s', (identifier, expected) => {
    expect(quoteIdentifier(identifier)).toBe(expected);
  });

  it('leaves out missing and empty parts', () => {
    expect(formatTableName([undefined, 'shop', 'orders'])).toBe('shop.orders');
    expect(formatTableName(['', 'a-b', 'c'])).toBe('"a-b".c');
  });
});

describe('physicalSchemaName', () => {
  it('prefixes the model schema with sqlmesh__', () => {
    expect(physicalSchemaName('shop')).toBe('sqlmesh__shop');
  });
});

describe('physicalTableName', () => {
  it('names the deployable table [catalog.]sqlmesh__<schema>.<schema>__<table>__<version>', () => {
    expect(physicalTableName(parseModelName('test_schema.test_model'), '3078928823')).toBe(
      'sqlmesh__test_schema.test_schema__test_model__3078928823',
    );
    expect(physicalTableName(parseModelName('wh.shop.orders'), '42')).toBe('wh.sqlmesh__shop.shop__orders__42');
  });

  it('spells out the default schema of a bare model name', () => {
    expect(physicalTableName(parseModelName('events'), '7')).toBe('sqlmesh__default.default__events__7');
  });

  it('uses just the table for names given without a schema, as SQLMesh does', () => {
    expect(physicalTableName({ table: 'name' }, '3078928823', { suffix: 'dev' })).toBe(
      'sqlmesh__default.name__3078928823__dev',
    );
  });

  it('replaces non-alphanumeric characters in the table part and quotes the schema', () => {
    expect(physicalTableName({ schema: 'raw-data', table: 'page views' }, '9')).toBe(
      '"sqlmesh__raw-data".raw_data__page_views__9',
    );
  });

  it('supports table_only and a physical schema override', () => {
    expect(
      physicalTableName({ schema: 'shop', table: 'orders' }, '9', {
        namingConvention: 'table_only',
        physicalSchema: 'phys',
      }),
    ).toBe('phys.orders__9');
  });

  it('hashes the whole schema_and_table name, suffix included, for hash_md5 and repeats the suffix', () => {
    // Arrange
    const name = { catalog: 'wh', schema: 'shop', table: 'orders' };
    const readable = physicalTableName(name, '9', { suffix: 'dev' });
    const md5 = createHash('md5').update(readable).digest('hex');
    // Act
    const hashed = physicalTableName(name, '9', { suffix: 'dev', namingConvention: 'hash_md5' });
    // Assert
    expect(readable).toBe('wh.sqlmesh__shop.shop__orders__9__dev');
    expect(hashed).toBe(`wh.sqlmesh__shop.sqlmesh_md5__${md5}__dev`);
  });
});

describe('normalizeEnvironmentName', () => {
  it.each([
    ['dev', 'dev'],
    ['Dev', 'dev'],
    ['feature/X-1', 'feature_x_1'],
    ['prod', 'prod'],
    ['été', 'été'],
  ])('normalises %j to %j', (name, expected) => {
    expect(normalizeEnvironmentName(name)).toBe(expected);
  });

  it('rejects an empty name', () => {
    expect(() => normalizeEnvironmentName('')).toThrowErrorMatchingInlineSnapshot(
      `"environment name is empty; use 'prod' or a name such as 'dev'"`,
    );
  });
});

describe('viewName', () => {
  it('is the model name itself in prod, whatever the suffix target', () => {
    expect(viewName('shop.orders', 'prod')).toBe('shop.orders');
    expect(viewName('shop.orders', 'PROD', 'table')).toBe('shop.orders');
    expect(viewName('wh.shop.orders', 'prod', 'catalog')).toBe('wh.shop.orders');
  });

  it.each([
    ['schema', 'test_schema__test_env.test_model'],
    ['table', 'test_schema.test_model__test_env'],
  ] as const)('puts the environment on the %s in a dev environment', (target, expected) => {
    expect(viewName('test_schema.test_model', 'test_env', target)).toBe(expected);
  });

  it('puts the environment on the catalog, falling back to the default catalog', () => {
    expect(viewName('wh.shop.orders', 'dev', 'catalog')).toBe('wh__dev.shop.orders');
    expect(viewName('shop.orders', 'dev', 'catalog', { defaultCatalog: 'memory' })).toBe('memory__dev.shop.orders');
  });

  it('refuses the catalog target when there is no catalog at all', () => {
    expect(() => viewName('shop.orders', 'dev', 'catalog')).toThrowErrorMatchingInlineSnapshot(
      `"cannot name the view of 'shop.orders' in environment 'dev': environment_suffix_target 'catalog' needs a catalog; give the model a catalog or configure the gateway's default catalog"`,
    );
  });

  it('normalises the environment name before using it', () => {
    expect(viewName('shop.orders', 'Feature/X')).toBe('shop__feature_x.orders');
  });

  it('gives a bare model name the default schema', () => {
    expect(viewName('events', 'dev')).toBe('default__dev.events');
  });

  it('applies a catalog override in prod too', () => {
    expect(viewName('shop.orders', 'prod', 'schema', { catalogOverride: 'prod_db' })).toBe('prod_db.shop.orders');
  });
});

describe('displayName', () => {
  it('leaves out the default catalog', () => {
    expect(displayName('memory.shop.orders', 'dev', { defaultCatalog: 'memory' })).toBe('shop__dev.orders');
    expect(displayName('other.shop.orders', 'dev', { defaultCatalog: 'memory' })).toBe('other.shop__dev.orders');
  });

  it('keeps the default catalog when the suffix goes on the catalog', () => {
    expect(displayName('shop.orders', 'dev', { defaultCatalog: 'memory', suffixTarget: 'catalog' })).toBe(
      'memory__dev.shop.orders',
    );
  });
});
