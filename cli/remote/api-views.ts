import { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';

/**
 * The API's answers as the remote CLI reads them (functions/api/present-*.ts writes them). Parsed, not
 * cast: an API of another version fails here with the field named instead of printing `undefined`.
 */

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO instant');
const range = z.tuple([instant, instant]);
const counts = z.object({ succeeded: z.number(), failed: z.number(), skipped: z.number() });

export const runViewSchema = z
  .object({
    runId: z.string(),
    kind: z.enum(['run', 'plan']),
    environment: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    reason: z.string().nullable(),
    executionTime: instant,
    startedAt: instant,
    endedAt: instant.nullable(),
    counts: counts.nullable(),
  })
  .loose();
export type RunView = z.infer<typeof runViewSchema>;

export const batchViewSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    interval: range,
    status: z.enum(['succeeded', 'failed', 'skipped']),
    reason: z.string(),
    durationMs: z.number(),
    rows: z.number().nullable(),
    error: z.string().nullable(),
    finishedAt: instant,
  })
  .loose();
export type BatchView = z.infer<typeof batchViewSchema>;

export const batchListSchema = z.object({ runId: z.string(), batches: z.array(batchViewSchema) }).loose();

export const modelViewSchema = z
  .object({
    name: z.string(),
    kind: z.string(),
    version: z.string(),
    processed: z.array(range),
    behind: z.array(range),
    nextRun: instant.nullable(),
    lastBatch: z.object({ status: z.string(), reason: z.string(), finishedAt: instant }).nullable(),
  })
  .loose();
export type ModelView = z.infer<typeof modelViewSchema>;

export const environmentViewSchema = z
  .object({
    name: z.string(),
    planId: z.string(),
    finalizedTs: instant.nullable(),
    updated: instant,
    asOf: instant,
    models: z.array(modelViewSchema),
  })
  .loose();
export type EnvironmentView = z.infer<typeof environmentViewSchema>;

/** `POST /environments/{env}/runs` and `POST /plans` answers. */
export const startedRunSchema = z.object({ runId: z.string(), status: z.enum(['started', 'exists']) }).loose();
export const startedPlanSchema = z.object({ planId: z.string(), status: z.enum(['started', 'exists']) }).loose();

/** Reads an API answer with `schema`; a mismatch names the request and each bad field. */
export function readAnswer<S extends z.ZodType>(schema: S, answer: unknown, request: string): z.infer<S> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data as z.infer<S>;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
  throw new SchedulerError(`${request} answered in an unexpected shape (${problems.join('; ')}); is the API the same Meshcron version?`);
}
