import { epochMacroVariables, temporalMacroVariables } from '../../../shared/src/render/temporal-variables';

const utc = (iso: string): number => Date.parse(iso);

describe('temporalMacroVariables', () => {
  it('renders start, inclusive end (end - 1µs) and execution values of a batch (conformance v057/v277)', () => {
    // Arrange: batch [2020-01-01, 2020-01-02) run at 2020-01-02 01:00
    const interval = [utc('2020-01-01T00:00:00Z'), utc('2020-01-02T00:00:00Z')] as const;

    // Act
    const v = temporalMacroVariables(interval, utc('2020-01-02T01:00:00Z'));

    // Assert
    expect(v).toMatchObject({
      start_ds: "'2020-01-01'",
      end_ds: "'2020-01-01'",
      start_ts: "'2020-01-01 00:00:00'",
      end_ts: "'2020-01-01 23:59:59.999999'",
      end_tstz: "'2020-01-01 23:59:59.999999+00:00'",
      start_dt: "CAST('2020-01-01 00:00:00+00:00' AS TIMESTAMPTZ)",
      end_dtntz: "CAST('2020-01-01 23:59:59.999999' AS TIMESTAMP)",
      end_date: "CAST('2020-01-01' AS DATE)",
      start_epoch: '1577836800.0',
      end_epoch: '1577923199.999',
      start_millis: '1577836800000',
      end_millis: '1577923199999',
      end_hour: '23',
      execution_ds: "'2020-01-02'",
      execution_ts: "'2020-01-02 01:00:00'",
      execution_epoch: '1577926800.0',
      execution_hour: '1',
      latest_ds: "'2020-01-02'",
    });
  });

  it('gives only execution_* and latest_* for VIEW/FULL queries', () => {
    // Act
    const v = temporalMacroVariables([0, 86_400_000], 0, { include: 'execution' });

    // Assert
    expect(Object.keys(v).some((k) => k.startsWith('start_') || k.startsWith('end_'))).toBe(false);
    expect(v.execution_ds).toBe("'1970-01-01'");
  });

  it('renders the epoch day when there is no interval (conformance v278)', () => {
    // Act
    const v = epochMacroVariables();

    // Assert
    expect(v.start_dtntz).toBe("CAST('1970-01-01 00:00:00' AS TIMESTAMP)");
    expect(v.end_ts).toBe("'1970-01-01 23:59:59.999999'");
    expect(v.execution_millis).toBe('0');
  });
});
