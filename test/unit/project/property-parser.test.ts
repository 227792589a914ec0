import { ProjectParseError } from '../../../shared/src/errors';
import { type Property, type PropertyValue, parsePropertyBlock } from '../../../shared/src/project/property-parser';

/** A compact, comparable form of a value: its shape and its parts. */
function shape(value: PropertyValue): unknown {
  switch (value.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return [value.type, value.value];
    case 'null':
      return ['null'];
    case 'identifier':
      return ['identifier', value.parts.join('|'), value.quoted];
    case 'tuple':
    case 'array':
      return [value.type, value.items.map(shape)];
    case 'eq':
    case 'named':
      return [value.type, value.key, shape(value.value)];
    case 'call':
      return ['call', value.name, value.args.map(shape)];
    case 'expression':
      return ['expression', value.text];
  }
}

function parse(sql: string): Property[] {
  return [...parsePropertyBlock({ sql, location: { file: 'models/m.sql', line: 1 } }, 'MODEL').properties];
}

describe('parsePropertyBlock', () => {
  it('classifies every value shape of the MODEL grammar, with lower-cased keys', () => {
    // Arrange
    const sql = `MODEL (
      Name "Db".orders,
      cron '@daily',
      batch 5,
      delta -2,
      enabled FALSE,
      stamp NULL,
      owner toby,
      grain (id, ds),
      tags ['a', b],
      physical_properties (format = 'parquet', n = 2),
      audits (not_null(columns := (id, ds)), my_audit),
      kind INCREMENTAL_BY_TIME_RANGE (time_column ds, batch_size 7),
      partitioned_by date_trunc('day', ds),
      merge_filter a.x > 1 AND b.y < 2,
    )`;

    // Act
    const props = parse(sql);

    // Assert
    expect(props.map((p) => [p.key, shape(p.value), p.location.line])).toEqual([
      ['name', ['identifier', 'Db|orders', true], 2],
      ['cron', ['string', '@daily'], 3],
      ['batch', ['number', 5], 4],
      ['delta', ['number', -2], 5],
      ['enabled', ['boolean', false], 6],
      ['stamp', ['null'], 7],
      ['owner', ['identifier', 'toby', false], 8],
      ['grain', ['tuple', [['identifier', 'id', false], ['identifier', 'ds', false]]], 9],
      ['tags', ['array', [['string', 'a'], ['identifier', 'b', false]]], 10],
      ['physical_properties', ['tuple', [['eq', 'format', ['string', 'parquet']], ['eq', 'n', ['number', 2]]]], 11],
      [
        'audits',
        ['tuple', [
          ['call', 'not_null', [['named', 'columns', ['tuple', [['identifier', 'id', false], ['identifier', 'ds', false]]]]]],
          ['identifier', 'my_audit', false],
        ]],
        12,
      ],
      ['kind', ['call', 'INCREMENTAL_BY_TIME_RANGE', [['expression', 'time_column ds'], ['expression', 'batch_size 7']]], 13],
      ['partitioned_by', ['call', 'date_trunc', [['string', 'day'], ['identifier', 'ds', false]]], 14],
      ['merge_filter', ['expression', 'a.x > 1 AND b.y < 2'], 15],
    ]);
  });

  it.each([
    ['a missing (', 'MODEL name a.b', "models/m.sql:1: MODEL must be followed by '(' with its properties"],
    ['an unclosed block', "MODEL (\n  name a.b,\n  kind FULL", "models/m.sql:1: the '(' of MODEL is never closed"],
    ['text after the block', 'MODEL (name a.b) SELECT 1', "models/m.sql:1: unexpected 'SELECT' after the closing ')' of MODEL (...)"],
    ['an empty entry', 'MODEL (name a.b,, kind FULL)', "models/m.sql:1: empty property in MODEL (...): remove the extra ','"],
    ['a key without a value', 'MODEL (\n  name a.b,\n  kind\n)', "models/m.sql:3: property 'kind' has no value"],
    ['a key given twice', "MODEL (\n  cron '@daily',\n  CRON '@hourly'\n)", "models/m.sql:3: property 'cron' is set twice (first on line 2)"],
    ['a key that is not a name', "MODEL ('name' a.b)", "models/m.sql:1: expected a property name in MODEL (...), found ''name''"],
  ])('rejects %s naming the line', (_name, sql, message) => {
    // Act
    const act = (): unknown => parse(sql);

    // Assert
    expect(act).toThrow(ProjectParseError);
    expect(act).toThrow(message);
  });
});
