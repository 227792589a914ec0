import { parseRequirementsLock } from '../../../shared/src/project/requirements-lock';

const FILE = 'sqlmesh-requirements.lock';

describe('parseRequirementsLock', () => {
  it('reads pins and exclusions, trimming whitespace and tolerating a final newline and CRLF', () => {
    // Act
    const lock = parseRequirementsLock('  pandas == 2.2.2 \r\nnumpy==1.26.4\r\n^ ruamel.yaml\r\n', FILE);
    // Assert
    expect(lock).toEqual({
      requirements: { pandas: '2.2.2', numpy: '1.26.4' },
      excluded: ['ruamel.yaml'],
    });
  });

  it('treats an empty file as no entries', () => {
    expect(parseRequirementsLock('', FILE)).toEqual({ requirements: {}, excluded: [] });
  });

  it('accepts the same pin twice and lists an exclusion once', () => {
    expect(parseRequirementsLock('a==1\na==1\n^b\n^b', FILE)).toEqual({ requirements: { a: '1' }, excluded: ['b'] });
  });

  it('rejects a blank line, naming file and line', () => {
    expect(() => parseRequirementsLock('pandas==2.2.2\n\nnumpy==1.0', FILE)).toThrowErrorMatchingInlineSnapshot(
      `"sqlmesh-requirements.lock:2: blank line in lock file; each line must be 'package==version' or '^package' (no blank lines, no comments, no other operators)"`,
    );
  });

  it.each(['pandas>=2.2', 'pandas', 'a==1==2', '# pinned', '==1', 'pandas=='])('rejects %j', (entry) => {
    expect(() => parseRequirementsLock(`x==1\n${entry}`, FILE)).toThrow(
      `sqlmesh-requirements.lock:2: invalid lock file entry '${entry}'`,
    );
  });

  it('rejects a package pinned to two versions, pointing at both lines', () => {
    expect(() => parseRequirementsLock('a==1\nb==2\na==3', FILE)).toThrowErrorMatchingInlineSnapshot(
      `"sqlmesh-requirements.lock:3: conflicting requirement for 'a': '3' here but '1' on line 1; pin each package once"`,
    );
  });

  it('rejects an exclusion without a name', () => {
    expect(() => parseRequirementsLock('^', FILE)).toThrow(
      expect.objectContaining({ name: 'ProjectParseError', location: { file: FILE, line: 1 } }),
    );
  });
});
