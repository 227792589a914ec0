import { ProjectParseError, UnsupportedFeatureError } from '../../../shared/src/errors';
import {
  assertSupportedMacroFunctions,
  isDefStatement,
  type MacroContext,
  renderMacros,
  renderMacroStatements,
} from '../../../shared/src/render/macros';

const location = { file: 'models/orders.sql', line: 10 };

function ctx(overrides: Partial<MacroContext> = {}): MacroContext {
  return {
    variables: { start_ds: "'2024-01-01'", end_ds: "'2024-01-31'", this_model: '"shop"."orders__1"' },
    userVariables: { Country: 'DE', min_qty: 3, flag: true, nothing: null, quote: "it's", ids: [1, 2] },
    location,
    ...overrides,
  };
}

describe('renderMacros', () => {
  it.each([
    ['a macro variable', 'WHERE ds BETWEEN @start_ds AND @end_ds', "WHERE ds BETWEEN '2024-01-01' AND '2024-01-31'"],
    ['a macro variable, case-insensitively', 'SELECT @START_DS', "SELECT '2024-01-01'"],
    ['a user variable as a quoted string', 'SELECT @country', "SELECT 'DE'"],
    ['a user variable with a quote, escaped', 'SELECT @quote', "SELECT 'it''s'"],
    ['a numeric user variable', 'LIMIT @min_qty', 'LIMIT 3'],
    ['a boolean and a null user variable', 'SELECT @flag, @nothing', 'SELECT TRUE, NULL'],
    ['a list user variable', 'SELECT @ids', 'SELECT [1, 2]'],
    ["@VAR('x')", "SELECT @VAR('country')", "SELECT 'DE'"],
    ["@VAR('x', default) when x is set", "SELECT @VAR('min_qty', 10)", 'SELECT 3'],
    ["@VAR('x', default) when x is not set", "SELECT @var('missing', 10 + @min_qty)", 'SELECT 10 + 3'],
    ["@VAR('x') with no default when x is not set", "SELECT @VAR('missing')", 'SELECT NULL'],
    ['@{x} as an identifier inside a name', 'SELECT * FROM sales_@{country}', 'SELECT * FROM sales_DE'],
    ['@{x} quoted when it is not a plain identifier', 'SELECT * FROM @{start_ds}', 'SELECT * FROM "2024-01-01"'],
    ["@'...' with interpolation", "SELECT @'region_@{country}_@min_qty'", "SELECT 'region_DE_3'"],
    ['@this_model', 'SELECT * FROM @this_model', 'SELECT * FROM "shop"."orders__1"'],
    ['nothing inside strings, quoted identifiers and comments', "SELECT '@x', \"@y\" -- @z\n/* @w */", "SELECT '@x', \"@y\" -- @z\n/* @w */"],
    ['a lone @ operator', 'SELECT @ -5', 'SELECT @ -5'],
  ])('renders %s', (_name, sql, expected) => {
    // Act
    const out = renderMacros(sql, ctx());

    // Assert
    expect(out).toBe(expected);
  });

  it('names the undefined variable with the file and the line it is on (statement line + offset)', () => {
    // Act
    const act = (): unknown => renderMacros('SELECT\n  a\nFROM t WHERE ds > @start_date', ctx());

    // Assert
    expect(act).toThrow(ProjectParseError);
    expect(act).toThrow(/^models\/orders\.sql:12: macro variable 'start_date' is undefined/);
  });

  it.each([
    ['@EACH', "SELECT\n@EACH(['a', 'b'], x -> x)", 'EACH', 11],
    ['a user macro', 'SELECT @my_macro(1)', 'my_macro', 10],
    ['@IF', "SELECT 1 WHERE @IF(@flag, x > 1)", 'IF', 10],
  ])('rejects the macro function %s, naming it and its line', (_name, sql, name, line) => {
    // Act
    const act = (): unknown => renderMacros(sql, ctx());

    // Assert
    expect(act).toThrow(UnsupportedFeatureError);
    expect(act).toThrow(`models/orders.sql:${line}: macro function @${name}(...) is not supported`);
  });

  it('does not treat a macro variable followed by a space and ( as a call', () => {
    // Act
    const out = renderMacros('INSERT INTO @this_model (a) SELECT 1', ctx());

    // Assert
    expect(out).toBe('INSERT INTO "shop"."orders__1" (a) SELECT 1');
  });

  it('rejects @DEF inside a statement', () => {
    expect(() => renderMacros('SELECT @DEF(x, 1)', ctx())).toThrow(/@DEF\(name, value\) must be a statement of its own/);
  });
});

describe('renderMacroStatements', () => {
  it('defines @DEF locals for later statements, drops the @DEF statements and lets locals win', () => {
    // Arrange
    const statements = [
      { sql: '@DEF(limit_rows, 5 + @min_qty)', location: { file: 'models/a.sql', line: 3 } },
      { sql: "@DEF('Country', 'FR')", location: { file: 'models/a.sql', line: 4 } },
      { sql: 'SELECT @country LIMIT @limit_rows', location: { file: 'models/a.sql', line: 6 } },
    ];

    // Act
    const out = renderMacroStatements(statements, { variables: ctx().variables, userVariables: ctx().userVariables });

    // Assert
    expect(out).toEqual([{ sql: "SELECT 'FR' LIMIT 5 + 3", location: { file: 'models/a.sql', line: 6 }, index: 2 }]);
  });

  it('uses a statement’s own variables when it carries them', () => {
    // Arrange
    const statements = [
      { sql: 'SELECT @start_ds', location, variables: { start_ds: "'1999-01-01'" } },
      { sql: 'SELECT @start_ds', location },
    ];

    // Act
    const out = renderMacroStatements(statements, { variables: ctx().variables, userVariables: {} });

    // Assert
    expect(out.map((s) => s.sql)).toEqual(["SELECT '1999-01-01'", "SELECT '2024-01-01'"]);
  });

  it('reports a malformed @DEF at its line', () => {
    // Act
    const act = (): unknown =>
      renderMacroStatements([{ sql: '@DEF(x)', location: { file: 'models/a.sql', line: 8 } }], { variables: {}, userVariables: {} });

    // Assert
    expect(act).toThrow('models/a.sql:8: @DEF expects a name and a value: @DEF(name, value)');
  });

  it('recognises @DEF statements', () => {
    expect(isDefStatement('@def(x, 1)')).toBe(true);
    expect(isDefStatement('SELECT 1')).toBe(false);
  });
});

describe('assertSupportedMacroFunctions', () => {
  it('accepts variables, @VAR and @DEF but rejects other calls with their line', () => {
    // Arrange
    const audit = { file: 'audits/a.sql', line: 2 };

    // Act / Assert
    expect(() => assertSupportedMacroFunctions("SELECT * FROM @this_model WHERE @VAR('x') > @col", audit)).not.toThrow();
    expect(() => assertSupportedMacroFunctions('SELECT *\nFROM @this_model\nWHERE @EACH(@cols, c -> c IS NULL)', audit)).toThrow(
      'audits/a.sql:4: macro function @EACH(...) is not supported',
    );
  });
});
