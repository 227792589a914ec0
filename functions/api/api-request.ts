import { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';
import { ApiError } from './api-error';
import { MAX_BODY_BYTES } from './constants';

/** The parts of an API Gateway HTTP API (payload 2.0) event the routes use, with the body decoded. */
export interface ApiRequest {
  readonly method: string;
  /** The request path without a named stage's prefix. */
  readonly path: string;
  /** The route API Gateway matched (`GET /runs/{runId}`); `$default` or absent when it matched none. */
  readonly routeKey: string | undefined;
  /** Path parameters as API Gateway decoded them (only set when it matched a route). */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The body as UTF-8 text, base64 already decoded; undefined when there is none. */
  readonly body: string | undefined;
  readonly requestId: string;
}

const httpApiEvent = z
  .object({
    routeKey: z.string().optional(),
    rawPath: z.string(),
    requestContext: z
      .object({
        http: z.object({ method: z.string() }).loose(),
        requestId: z.string().optional(),
        stage: z.string().optional(),
      })
      .loose(),
    pathParameters: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    isBase64Encoded: z.boolean().optional(),
  })
  .loose();

/**
 * Reads an API Gateway v2 event from `unknown`. An event of another shape means the function is wired to
 * something else than the HTTP API: a server fault, not the caller's. A body over {@link MAX_BODY_BYTES} is
 * refused with 413 before it is decoded as text.
 */
export function parseApiEvent(event: unknown, fallbackRequestId: string): ApiRequest {
  const parsed = httpApiEvent.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
    throw new SchedulerError(`the api handler received an event that is not an HTTP API (payload 2.0) request: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    method: e.requestContext.http.method.toUpperCase(),
    path: stripStage(e.rawPath, e.requestContext.stage),
    routeKey: e.routeKey,
    pathParameters: e.pathParameters ?? {},
    body: decodeBody(e.body, e.isBase64Encoded === true),
    requestId: e.requestContext.requestId ?? fallbackRequestId,
  };
}

/** A named stage (not `$default`) prefixes `rawPath` with `/<stage>`; routes are declared without it. */
function stripStage(rawPath: string, stage: string | undefined): string {
  if (stage === undefined || stage === '$default') return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}

function decodeBody(body: string | undefined, isBase64: boolean): string | undefined {
  if (body === undefined) return undefined;
  const bytes = isBase64 ? Buffer.from(body, 'base64') : undefined;
  const size = bytes ? bytes.byteLength : Buffer.byteLength(body, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new ApiError(413, 'payload_too_large', `body: ${size} bytes is more than the ${MAX_BODY_BYTES} allowed`, { field: 'body' });
  }
  return bytes ? bytes.toString('utf8') : body;
}

/** The request id of an event that may not even parse, for logging a fault. */
export function requestIdOf(event: unknown, fallback: string): string {
  const parsed = z.object({ requestContext: z.object({ requestId: z.string() }) }).safeParse(event);
  return parsed.success ? parsed.data.requestContext.requestId : fallback;
}
