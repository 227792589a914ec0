import { builtinAuditQuery } from '../../../shared/src/audit/builtin-audits';
import { resolveAudits } from '../../../shared/src/audit/resolve-audits';
import { ProjectParseError } from '../../../shared/src/errors';
import { auditDefinition, auditUse, buildModel } from '../evaluate/model-builder';

const loc = { file: 'models/m.sql', line: 3 };

describe('resolveAudits', () => {
  it('binds uses to inline, project and built-in audits with the right blocking flag', () => {
    // Arrange
    const inline = auditDefinition('positive', 'SELECT * FROM @this_model WHERE @column <= 0', { defaults: { column: 'amount' } });
    const project = auditDefinition('recent', 'SELECT 1', { blocking: false });
    const model = buildModel({
      name: 'shop.orders',
      inlineAudits: [inline],
      audits: [
        auditUse('positive', { COLUMN: 'qty' }),
        auditUse('recent'),
        auditUse('recent', {}, true),
        auditUse('not_null', { columns: '(id)' }),
        auditUse('unique_values', { columns: '(id)' }, false),
        auditUse('forall_non_blocking', { criteria: '(id > 0)' }),
      ],
    });

    // Act
    const resolved = resolveAudits(model, new Map([['recent', project]]));

    // Assert
    expect(resolved.map((a) => [a.name, a.blocking, a.args, a.definition?.name])).toEqual([
      ['positive', true, { column: 'qty' }, 'positive'],
      ['recent', false, {}, 'recent'],
      ['recent', true, {}, 'recent'],
      ['not_null', true, { columns: '(id)' }, undefined],
      ['unique_values', false, { columns: '(id)' }, undefined],
      ['forall', false, { criteria: '(id > 0)' }, undefined],
    ]);
  });

  it('leaves out audits defined with skip true', () => {
    const model = buildModel({ name: 'shop.o', audits: [auditUse('off')] });
    expect(resolveAudits(model, new Map([['off', auditDefinition('off', 'SELECT 1', { skip: true })]]))).toEqual([]);
  });

  it('names the unknown audit and what exists', () => {
    const model = buildModel({ name: 'shop.o', audits: [auditUse('not_nul', { columns: 'id' })] });
    const attempt = () => resolveAudits(model, new Map([['mine', auditDefinition('mine', 'SELECT 1')]]));
    expect(attempt).toThrow(ProjectParseError);
    expect(attempt).toThrowErrorMatchingInlineSnapshot(
      `"models/m.sql:3: model 'shop.o' uses unknown audit 'not_nul'; built-in audits: not_null, unique_values, accepted_values, number_of_rows, forall; project audits: mine"`,
    );
  });

  it.each([
    [auditUse('not_null'), "models/m.sql:3: audit 'not_null' needs argument 'columns' (columns := ...)"],
    [auditUse('accepted_values', { column: 'x' }), "models/m.sql:3: audit 'accepted_values' needs argument 'is_in' (column := ..., is_in := ...)"],
    [auditUse('number_of_rows', { threshold: '1', column: 'x' }), "models/m.sql:3: audit 'number_of_rows' has no argument 'column'; allowed: threshold, condition"],
  ])('checks built-in arguments', (use, message) => {
    const model = buildModel({ name: 'shop.o', audits: [use] });
    expect(() => resolveAudits(model, new Map())).toThrow(message);
  });
});

describe('builtinAuditQuery', () => {
  it.each([
    ['not_null', { columns: '(a, b)' }, 'SELECT * FROM "s"."t" AS __meshcron_audited WHERE (a) IS NULL OR (b) IS NULL'],
    [
      'not_null',
      { columns: '[a]', condition: 'kind = 1' },
      'SELECT * FROM "s"."t" AS __meshcron_audited WHERE ((a) IS NULL) AND (kind = 1)',
    ],
    [
      'unique_values',
      { columns: '(a, b)' },
      'SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a) AS __meshcron_rank_0, ROW_NUMBER() OVER (PARTITION BY b) AS __meshcron_rank_1 ' +
        'FROM "s"."t" AS __meshcron_audited) AS __meshcron_ranked WHERE __meshcron_rank_0 > 1 OR __meshcron_rank_1 > 1',
    ],
    [
      'accepted_values',
      { column: 'c', is_in: `('x', 'y')` },
      `SELECT * FROM "s"."t" AS __meshcron_audited WHERE (c) NOT IN ('x', 'y')`,
    ],
    [
      'number_of_rows',
      { threshold: '10' },
      'SELECT count(*) AS row_count FROM (SELECT 1 AS one FROM "s"."t" AS __meshcron_audited LIMIT 11) AS __meshcron_limited HAVING count(*) <= 10',
    ],
    ['forall', { criteria: '(a > 0, b IS NOT NULL)' }, 'SELECT * FROM "s"."t" AS __meshcron_audited WHERE NOT ((a > 0) AND (b IS NOT NULL))'],
  ])('generates %s', (name, args, expected) => {
    expect(builtinAuditQuery(name, args, '"s"."t"', loc)).toBe(expected);
  });

  it('rejects a threshold that is not an integer', () => {
    expect(() => builtinAuditQuery('number_of_rows', { threshold: '1.5' }, 't', loc)).toThrow(
      "models/m.sql:3: audit 'number_of_rows': threshold must be a non-negative integer, got '1.5'",
    );
  });

  it('rejects an empty column list', () => {
    expect(() => builtinAuditQuery('not_null', { columns: '()' }, 't', loc)).toThrow(
      "models/m.sql:3: audit 'not_null': argument 'columns' must list at least one item, e.g. columns := (a, b)",
    );
  });
});
