import { formatPythonFloat, renderVariableLiterals } from '../../../shared/src/schedule/render-variables';

const jan1 = Date.UTC(2024, 0, 1);
const jan2 = Date.UTC(2024, 0, 2);

describe('renderVariableLiterals', () => {
  it('renders every start/end/execution/latest variable as a duckdb literal, with an inclusive end', () => {
    // Act
    const vars = renderVariableLiterals({ start: jan1, end: jan2 }, Date.UTC(2024, 0, 2, 1, 30), 'duckdb');
    // Assert
    expect(Object.keys(vars)).toHaveLength(36);
    expect(vars).toMatchObject({
      start_ds: "'2024-01-01'",
      start_date: "CAST('2024-01-01' AS DATE)",
      start_dt: "CAST('2024-01-01 00:00:00+00:00' AS TIMESTAMPTZ)",
      start_dtntz: "CAST('2024-01-01 00:00:00' AS TIMESTAMP)",
      start_ts: "'2024-01-01 00:00:00'",
      start_tstz: "'2024-01-01 00:00:00+00:00'",
      start_epoch: '1704067200.0',
      start_millis: '1704067200000',
      start_hour: '0',
      end_ds: "'2024-01-01'",
      end_ts: "'2024-01-01 23:59:59.999999'",
      end_dt: "CAST('2024-01-01 23:59:59.999999+00:00' AS TIMESTAMPTZ)",
      end_epoch: '1704153599.999',
      end_millis: '1704153599999',
      end_hour: '23',
      execution_ts: "'2024-01-02 01:30:00'",
      execution_hour: '1',
      latest_ds: "'2024-01-02'",
    });
  });

  it('renders the same literals for postgres', () => {
    const duck = renderVariableLiterals({ start: jan1, end: jan2 }, jan2, 'duckdb');
    expect(renderVariableLiterals({ start: jan1, end: jan2 }, jan2, 'postgres')).toEqual(duck);
  });

  it('uses the epoch for start and end when there is no batch', () => {
    const vars = renderVariableLiterals(undefined, jan2, 'duckdb');
    expect(vars.start_dtntz).toBe("CAST('1970-01-01 00:00:00' AS TIMESTAMP)");
    expect(vars.end_ds).toBe("'1970-01-01'");
    expect(vars.end_epoch).toBe('0.0');
    expect(vars.execution_ds).toBe("'2024-01-02'");
  });

  it('rejects dialects it cannot render for', () => {
    expect(() => renderVariableLiterals(undefined, 0, 'tsql')).toThrowErrorMatchingInlineSnapshot(
      `"cannot render time literals for dialect 'tsql'; supported dialects: duckdb, postgres"`,
    );
  });

  it('formats floats as Python does', () => {
    expect(formatPythonFloat(1704067200)).toBe('1704067200.0');
    expect(formatPythonFloat(1577923199.999)).toBe('1577923199.999');
  });
});
