import { LineCounter, parseDocument } from 'yaml';
import { ConnectionInputError } from './connection-errors';
import { MAX_CONNECTION_YAML_ALIASES, MAX_CONNECTION_YAML_BYTES } from './constants';

/**
 * Reads connection YAML (SQLMesh's connection format: `type: postgres`, `host: …`) into plain values, ready
 * for the adapter's per-type schema. Guards against hostile input before anything else looks at it: a size
 * cap, an alias cap (no "billion laughs"), duplicate keys refused, and error messages that quote no value
 * from the text (a YAML error near `password:` must not print the password).
 *
 * @param field What to call the text in errors (`yaml`, `--file conn.yaml`, `body.yaml`).
 * @throws ConnectionInputError naming `field` (with line and column for syntax errors).
 * @example
 * parseConnectionYaml('type: duckdb\ndatabase: warehouse.duckdb\n'); // { type: 'duckdb', database: 'warehouse.duckdb' }
 */
export function parseConnectionYaml(text: string, field = 'yaml'): Record<string, unknown> {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_CONNECTION_YAML_BYTES) {
    throw new ConnectionInputError(field, `is ${bytes} bytes; a connection may be at most ${MAX_CONNECTION_YAML_BYTES} bytes`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    // The text after a colon can quote a token of the input, so only the general part is kept.
    const what = error.message.split(':')[0]?.trim() || 'syntax error';
    throw new ConnectionInputError(field, `invalid YAML at line ${line}, column ${col}: ${what} (${error.code})`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONNECTION_YAML_ALIASES });
  } catch (e) {
    throw new ConnectionInputError(
      field,
      `uses YAML aliases too often (at most ${MAX_CONNECTION_YAML_ALIASES} alias uses; write the values out)`,
      { cause: e },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConnectionInputError(field, 'must be a YAML map of connection fields, e.g. type: postgres, host: db.internal, …');
  }
  return value as Record<string, unknown>;
}
