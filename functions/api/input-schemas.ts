import { z } from 'zod';
import { normalizeEnvironmentName } from '../../shared/src/snapshot/naming';
import { MAX_ENVIRONMENT_NAME_LENGTH, MAX_RUN_ID_LENGTH } from './constants';

/** An environment name, normalised the way plans store it (`Dev-1` → `dev_1`). */
export const environmentNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(MAX_ENVIRONMENT_NAME_LENGTH, `must be at most ${MAX_ENVIRONMENT_NAME_LENGTH} characters`)
  .transform(normalizeEnvironmentName);

/** A run or plan id as it appears in a path. */
export const runIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_RUN_ID_LENGTH, `must be at most ${MAX_RUN_ID_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters.
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'control characters are not allowed');

/** A UTC instant with an explicit zone, e.g. `2026-11-08T06:00:00Z` or `2026-11-08T07:00:00+01:00`. */
export const instantSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 instant with a zone, e.g. 2026-11-08T06:00:00Z',
});
