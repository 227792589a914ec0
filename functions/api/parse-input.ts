import { z } from 'zod';
import { ApiError } from './api-error';

/** Most problems listed in one error message; the first names the `field`. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * Parses the JSON text of a request body. An absent or blank body is `{}` unless `required`; text that is not
 * JSON is a 400 naming `body`.
 */
export function parseJsonBody(body: string | undefined, options: { readonly required: boolean }): unknown {
  if (body === undefined || body.trim() === '') {
    if (options.required) throw new ApiError(400, 'invalid_input', 'body: a JSON object is required', { field: 'body' });
    return {};
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // The parser's message quotes the text around the fault, which may be a file with credentials in it.
    throw new ApiError(400, 'malformed_json', 'body: not valid JSON', { field: 'body' });
  }
}

/**
 * Parses `value` with `schema`, or throws a 400 whose message lists each problem as `field: what is wrong`
 * and whose `field` is the first one. `where` names the input when a problem is about all of it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'path'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<S>;
  const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, where, allowed));
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${p.field}: ${p.message}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return throwInvalid(listed.join('; '), problems[0]?.field ?? where);
}

function throwInvalid(message: string, field: string): never {
  throw new ApiError(400, 'invalid_input', message, { field });
}

function describeIssue(issue: z.core.$ZodIssue, where: string, allowed: readonly string[]): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    // Unknown keys are mostly typos (`execution_time`), so the answer lists what is accepted.
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    const known = issue.path.length === 0 ? `; allowed: ${allowed.join(', ') || 'none'}` : '';
    return {
      field: [...issue.path.map(String), issue.keys[0] ?? where].join('.'),
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${known}`,
    };
  }
  const field = issue.path.map(String).join('.');
  return { field: field === '' ? where : field, message: issue.message };
}
