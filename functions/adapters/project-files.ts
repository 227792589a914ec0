import path from 'node:path';
import { SchedulerError } from '../../shared/src/errors';

/** Bounds of a submitted project bundle, so one request cannot fill a disk or a Lambda's memory. */
export const MAX_BUNDLE_FILES = 2_000;
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

/**
 * Checks a bundle path: relative, forward slashes, no `..` or empty segments, so laying a bundle out can
 * never write outside its folder. Returns the path normalised.
 */
export function checkBundlePath(relativePath: string): string {
  const problem =
    relativePath === ''
      ? 'is empty'
      : path.posix.isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)
        ? 'is absolute'
        : relativePath.includes('\\')
          ? 'uses backslashes'
          : relativePath.split('/').some((seg) => seg === '..' || seg === '' || seg === '.')
            ? 'has an empty, `.` or `..` segment'
            : undefined;
  if (problem) throw new SchedulerError(`bundle file path '${relativePath}' ${problem}; use a path relative to the project folder`);
  return relativePath;
}
