import { SchedulerError } from '../../shared/src/errors';

/** Reads an environment variable the stack sets, failing with its name when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new SchedulerError(`environment variable ${name} is not set; the Meshcron stack sets it on every handler`);
  }
  return value;
}
