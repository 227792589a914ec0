import { ProjectParseError } from '../../../shared/src/errors';
import { parseSeedCsv } from '../../../shared/src/evaluate/seed-csv';
import type { SeedKind } from '../../../shared/src/project/model';

const loc = { file: 'models/seed.sql', line: 1 };
const kind = (settings: Partial<SeedKind['csvSettings']> = {}): SeedKind => ({
  name: 'SEED',
  path: '/p/s.csv',
  relativePath: 'seeds/s.csv',
  csvSettings: { delimiter: ',', quotechar: '"', header: true, ...settings },
  batchSize: 1000,
});

describe('parseSeedCsv', () => {
  it('infers types per column and turns empty cells into NULL', () => {
    // Act
    const seed = parseSeedCsv('a,b,c,d,e,f\n1,2.5,TRUE,2024-01-01,2024-01-01 10:00:00,x\n-3,,false,2024-01-02,2024-01-02T11:00,\n', kind(), undefined, loc);

    // Assert
    expect(seed.columns).toEqual([
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'DOUBLE' },
      { name: 'c', type: 'BOOLEAN' },
      { name: 'd', type: 'DATE' },
      { name: 'e', type: 'TIMESTAMP' },
      { name: 'f', type: 'VARCHAR' },
    ]);
    expect(seed.rows).toEqual([
      ['1', '2.5', 'TRUE', '2024-01-01', '2024-01-01 10:00:00', 'x'],
      ['-3', null, 'false', '2024-01-02', '2024-01-02T11:00', null],
    ]);
  });

  it('honours the delimiter and quote character', () => {
    const seed = parseSeedCsv("id|note\n1|'a|b'\n", kind({ delimiter: '|', quotechar: "'" }), undefined, loc);
    expect(seed.rows).toEqual([['1', 'a|b']]);
  });

  it('selects declared columns by header name, in declared order', () => {
    const seed = parseSeedCsv('Name,ID,extra\nAnn,1,z\n', kind(), [{ name: 'id', type: 'INT' }, { name: 'name', type: 'TEXT' }], loc);
    expect(seed).toEqual({ columns: [{ name: 'id', type: 'INT' }, { name: 'name', type: 'TEXT' }], rows: [['1', 'Ann']] });
  });

  it('maps columns by position without a header', () => {
    expect(parseSeedCsv('1,Ann\n', kind({ header: false }), [{ name: 'id', type: 'INT' }, { name: 'name', type: 'TEXT' }], loc).rows).toEqual([
      ['1', 'Ann'],
    ]);
    expect(parseSeedCsv('1,Ann\n', kind({ header: false }), undefined, loc).columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
  });

  it('reports malformed CSV at the model', () => {
    const attempt = () => parseSeedCsv('a,b\n1,2,3\n', kind(), undefined, loc);
    expect(attempt).toThrow(ProjectParseError);
    expect(attempt).toThrow(/^models\/seed\.sql:1: seed 'seeds\/s\.csv' is not valid CSV: Invalid Record Length/);
  });
});
