import { ProjectParseError } from '../errors';

/** The parsed `sqlmesh-requirements.lock`. */
export interface RequirementsLock {
  /** Pinned versions by package name, from `name==version` lines. */
  readonly requirements: Readonly<Record<string, string>>;
  /** Packages excluded from the inferred requirements by `^name` lines, in first-seen order. */
  readonly excluded: readonly string[];
}

/**
 * Parses the text of `sqlmesh-requirements.lock`: one entry per line, surrounding whitespace ignored;
 * `name==version` pins a package and `^name` excludes one. There are no comments and, as in SQLMesh, a
 * blank line is an error (a final newline is fine, and an empty file has no entries). Pinning one package
 * to two versions is an error. Stricter than SQLMesh: an empty package name or version is an error too.
 * `file` is the path relative to the project root, used in error messages.
 *
 * @example
 * parseRequirementsLock('pandas==2.2.2\n^ruamel.yaml\n', 'sqlmesh-requirements.lock')
 * // { requirements: { pandas: '2.2.2' }, excluded: ['ruamel.yaml'] }
 */
export function parseRequirementsLock(text: string, file: string): RequirementsLock {
  const lines = text.split(/\r\n|\r|\n/);
  // A final newline ends the last line rather than starting a blank one; an empty file has no lines.
  if (lines[lines.length - 1] === '') lines.pop();

  const pins = new Map<string, { version: string; line: number }>();
  const excluded = new Set<string>();

  lines.forEach((raw, index) => {
    const location = { file, line: index + 1 };
    const entry = raw.trim();
    if (entry.startsWith('^')) {
      const name = entry.slice(1).trim();
      if (name === '') {
        throw new ProjectParseError(`exclusion '^' names no package; write '^package_name'`, location);
      }
      excluded.add(name);
      return;
    }
    const parts = entry.split('==').map((part) => part.trim());
    const [name, version] = parts;
    if (parts.length !== 2 || !name || !version) {
      const problem = entry === '' ? 'blank line in lock file' : `invalid lock file entry '${entry}'`;
      throw new ProjectParseError(
        `${problem}; each line must be 'package==version' or '^package' ` +
          `(no blank lines, no comments, no other operators)`,
        location,
      );
    }
    const earlier = pins.get(name);
    if (earlier && earlier.version !== version) {
      throw new ProjectParseError(
        `conflicting requirement for '${name}': '${version}' here but '${earlier.version}' on line ` +
          `${earlier.line}; pin each package once`,
        location,
      );
    }
    if (!earlier) pins.set(name, { version, line: location.line });
  });

  return {
    requirements: Object.fromEntries([...pins].map(([name, pin]) => [name, pin.version])),
    excluded: [...excluded],
  };
}
