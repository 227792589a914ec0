import { ConnectionInputError } from '../../../shared/src/connections/connection-errors';
import { parseConnectionYaml } from '../../../shared/src/connections/connection-yaml';
import { MAX_CONNECTION_YAML_BYTES } from '../../../shared/src/connections/constants';

const SECRET = 'S3cret-Value-Xyz';

/** Nine-fold expansion per level: `levels` levels reference 9^levels strings. */
function billionLaughs(levels: number): string {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i += 1) lines.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\ntype: duckdb\n`;
}

function errorOf(fn: () => unknown): ConnectionInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConnectionInputError) return e;
    throw e;
  }
  throw new Error('expected a ConnectionInputError');
}

describe('parseConnectionYaml', () => {
  it('reads a connection map as plain values (ports as numbers, booleans as booleans)', () => {
    // Act
    const value = parseConnectionYaml('type: postgres\nhost: db\nport: 5432\nuser: u\npassword: "p:w"\ndatabase: d\npre_ping: true\n');
    // Assert
    expect(value).toEqual({ type: 'postgres', host: 'db', port: 5432, user: 'u', password: 'p:w', database: 'd', pre_ping: true });
  });

  it('allows a few aliases', () => {
    expect(parseConnectionYaml('type: duckdb\ndatabase: &db a.duckdb\nextensions: [*db]\n')).toEqual({
      type: 'duckdb',
      database: 'a.duckdb',
      extensions: ['a.duckdb'],
    });
  });

  it('refuses a billion-laughs document quickly, naming the field', () => {
    // Arrange
    const started = performance.now();
    // Act
    const error = errorOf(() => parseConnectionYaml(billionLaughs(9), '--file'));
    // Assert
    expect(error.message).toBe('--file: uses YAML aliases too often (at most 16 alias uses; write the values out)');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses input over the size cap before parsing it', () => {
    // Arrange
    const huge = `type: duckdb\ndatabase: "${'x'.repeat(MAX_CONNECTION_YAML_BYTES)}"\n`;
    // Act / Assert
    expect(() => parseConnectionYaml(huge)).toThrow(`yaml: is ${huge.length} bytes; a connection may be at most 65536 bytes`);
  });

  it('counts bytes, not characters, against the cap', () => {
    const wide = `type: duckdb\ndatabase: "${'é'.repeat(MAX_CONNECTION_YAML_BYTES / 2)}"\n`;
    expect(() => parseConnectionYaml(wide)).toThrow(ConnectionInputError);
  });

  it.each([
    ['an unclosed quote', `type: postgres\npassword: "${SECRET}\nhost: x\n`, 'yaml: invalid YAML at line 4, column 1: Missing closing "quote (MISSING_CHAR)'],
    ['a stray token', `type: postgres\n- ${SECRET}\n`, 'yaml: invalid YAML at line 2, column 1: Implicit keys need to be on a single line (MULTILINE_IMPLICIT_KEY)'],
    ['a duplicate key', `password: ${SECRET}\npassword: ${SECRET}\n`, 'yaml: invalid YAML at line 2, column 1: Map keys must be unique (DUPLICATE_KEY)'],
  ])('reports %s with line and column but never the text around it', (_what, text, message) => {
    // Act
    const error = errorOf(() => parseConnectionYaml(text));
    // Assert
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(SECRET);
    expect(error.field).toBe('yaml');
  });

  it('never quotes an unexpected token, which could be a password', () => {
    const error = errorOf(() => parseConnectionYaml(`type: postgres\n${SECRET}: a: b\n`));
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ['a list', '- type: duckdb\n'],
    ['a scalar', 'duckdb\n'],
    ['an empty document', ''],
  ])('refuses %s: a connection is a map', (_what, text) => {
    expect(() => parseConnectionYaml(text)).toThrow('yaml: must be a YAML map of connection fields, e.g. type: postgres, host: db.internal, …');
  });
});
