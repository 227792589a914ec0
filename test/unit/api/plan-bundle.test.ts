import path from 'node:path';
import fc from 'fast-check';
import { MAX_BUNDLE_PATH_LENGTH, MAX_EXECUTION_NAME_LENGTH } from '../../../functions/api/constants';
import { bundlePathProblem, planIdFor } from '../../../functions/api/plan-bundle';

describe('bundlePathProblem', () => {
  it.each([
    ['config.yaml', undefined],
    ['models/daily/a.sql', undefined],
    ['.meshcron/x', undefined],
    ['a..b/c.sql', undefined],
    ['', 'empty paths are not allowed'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:/Windows/x', 'absolute paths are not allowed'],
    ['c:x', 'absolute paths are not allowed'],
    ['models\\a.sql', 'backslashes are not allowed; separate folders with /'],
    ['..', "'..' segments are not allowed"],
    ['models/../../etc', "'..' segments are not allowed"],
    ['models//a.sql', "empty and '.' segments are not allowed"],
    ['./a.sql', "empty and '.' segments are not allowed"],
    ['models/', "empty and '.' segments are not allowed"],
    ['a\u0000.sql', 'control characters are not allowed'],
    ['x'.repeat(MAX_BUNDLE_PATH_LENGTH + 1), `paths longer than ${MAX_BUNDLE_PATH_LENGTH} characters are not allowed`],
  ])('%j → %p', (input, problem) => {
    expect(bundlePathProblem(input)).toBe(problem);
  });

  it('accepts only paths that stay inside the bundle folder and name a file there unchanged', () => {
    const segment = fc.constantFrom('a', 'b.sql', '..', '.', '', 'c\\d', '/', 'C:', '~');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (parts) => {
        const candidate = parts.join('/');
        if (bundlePathProblem(candidate) !== undefined) return;
        const resolved = path.posix.resolve('/bundle', candidate);
        expect(resolved).toBe(`/bundle/${candidate}`);
      }),
    );
  });
});

describe('planIdFor', () => {
  const files = { 'config.yaml': 'a: 1\n', 'models/a.sql': 'SELECT 1' };
  const t = Date.UTC(2026, 10, 9, 6, 7, 31);

  it('is environment, minute and a bundle hash, the same whatever the order of the files', () => {
    const id = planIdFor('dev', files, t);
    expect(id).toMatch(/^plan-dev-20261109T0607-[0-9a-f]{12}$/);
    expect(planIdFor('dev', { 'models/a.sql': 'SELECT 1', 'config.yaml': 'a: 1\n' }, t + 28_000)).toBe(id);
  });

  it('changes with the environment, a file, a file name and the minute', () => {
    const ids = [
      planIdFor('dev', files, t),
      planIdFor('prod', files, t),
      planIdFor('dev', { ...files, 'models/a.sql': 'SELECT 2' }, t),
      planIdFor('dev', { 'config.yaml': 'a: 1\n', 'models/b.sql': 'SELECT 1' }, t),
      planIdFor('dev', files, t + 60_000),
    ];
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(4);
    expect(new Set(ids).size).toBe(5);
  });

  it('is a valid Step Functions execution name for any environment name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128, unit: 'grapheme' }), (env) => {
        const id = planIdFor(env, files, t);
        expect(id.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
        expect(id).toMatch(/^plan-[A-Za-z0-9_-]*-20261109T0607-[0-9a-f]{12}$/);
      }),
    );
  });
});
