import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ProjectParseError, type SourceLocation } from '../errors';

/** A path into a YAML document: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that remembers where each value is, so that config errors can say `config.yaml:12`.
 */
export class YamlSource {
  /** The document as plain JS values (YAML 1.2 core schema: dates stay strings). */
  readonly value: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(
    readonly file: string,
    doc: Document.Parsed,
    lines: LineCounter,
  ) {
    this.doc = doc;
    this.lines = lines;
    this.value = doc.toJS({ maxAliasCount: 1000 });
  }

  /**
   * Parses `text` (the contents of `file`, relative to the project root).
   *
   * @throws ProjectParseError with the line of the first YAML syntax error.
   */
  static parse(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      throw new ProjectParseError(`invalid YAML: ${error.message}`, { file, line: lines.linePos(error.pos[0]).line });
    }
    return new YamlSource(file, doc, lines);
  }

  /** The location of the value at `path` (or of its key, for a map entry), falling back to the nearest parent. */
  locationOf(path: YamlPath): SourceLocation {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const offset = this.offsetOf(path.slice(0, depth));
      if (offset !== undefined) return { file: this.file, line: this.lines.linePos(offset).line };
    }
    return { file: this.file, line: 1 };
  }

  private offsetOf(path: YamlPath): number | undefined {
    if (path.length === 0) return this.doc.contents?.range?.[0] ?? 0;
    const parent = this.doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last));
      const key = pair?.key;
      return isScalar(key) ? key.range?.[0] : undefined;
    }
    if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      return item && typeof item === 'object' && 'range' in item ? (item.range as [number, number, number])[0] : undefined;
    }
    return undefined;
  }
}

/** True for a plain YAML map (not a list, not a scalar). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
