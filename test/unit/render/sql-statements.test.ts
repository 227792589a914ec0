import { commentBody, splitSqlStatements } from '../../../shared/src/render/sql-statements';

const at = { file: 'models/m.sql', line: 1 };

describe('splitSqlStatements', () => {
  it('splits on ; but not inside strings, identifiers, comments or dollar-quoted bodies', () => {
    // Arrange
    const text = [
      "SELECT 'a;b' AS \"c;d\"; -- e;f",
      'CREATE MACRO m() AS $$ SELECT 1; $$;',
      '/* g; h */ SELECT 2',
    ].join('\n');

    // Act
    const statements = splitSqlStatements(text, at);

    // Assert
    expect(statements.map((s) => s.sql)).toEqual([
      "SELECT 'a;b' AS \"c;d\"",
      'CREATE MACRO m() AS $$ SELECT 1; $$',
      'SELECT 2',
    ]);
  });

  it('starts each statement at its first significant token and reports that line', () => {
    // Arrange
    const text = 'MODEL (name a.b);\n\n-- the query\n\nSELECT\n  1\n;\n\n  SELECT 2;\n-- trailing comment only\n';

    // Act
    const statements = splitSqlStatements(text, at);

    // Assert
    expect(statements.map((s) => [s.sql, s.location.line])).toEqual([
      ['MODEL (name a.b)', 1],
      ['SELECT\n  1', 5],
      ['SELECT 2', 9],
    ]);
  });

  it('keeps comments written directly above a statement, dropping those separated by a blank line', () => {
    // Arrange
    const text = '-- file header\n\n-- Orders per day.\n/* one row per day */\nMODEL (name a.b);';

    // Act
    const [model] = splitSqlStatements(text, at);

    // Assert
    expect(model?.leadingComments.map(commentBody)).toEqual(['Orders per day.', 'one row per day']);
    expect(model?.location).toEqual({ file: 'models/m.sql', line: 5 });
  });

  it('offsets lines by the location the text starts at', () => {
    // Act
    const statements = splitSqlStatements('SELECT 1;\nSELECT 2', { file: 'audits/a.sql', line: 20 });

    // Assert
    expect(statements.map((s) => s.location)).toEqual([
      { file: 'audits/a.sql', line: 20 },
      { file: 'audits/a.sql', line: 21 },
    ]);
  });
});
