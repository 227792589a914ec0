import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';

/** Input of a Step Functions task or scheduled event that does not match its schema. */
export class InvalidTaskInputError extends SchedulerError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTaskInputError';
  }
}

/**
 * Wraps a task handler: the event arrives as `unknown` and is parsed with `schema` (a mismatch names each bad
 * field), then `fn` runs with typed input. Errors keep their literal names, which the state machines' Catch
 * clauses and the execution history show.
 */
export function taskHandler<S extends z.ZodType, R>(
  schema: S,
  fn: (input: z.infer<S>) => Promise<R>,
): middy.MiddyfiedHandler<unknown, R, Error, Context> {
  return middy<unknown, R, Error, Context>().handler(async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
      throw new InvalidTaskInputError(`invalid task input: ${problems.join('; ')}`);
    }
    return fn(parsed.data as z.infer<S>);
  });
}
