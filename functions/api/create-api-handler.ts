import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ApiDeps } from './api-deps';
import { parseApiEvent } from './api-request';
import type { ApiResponse } from './api-response';
import { apiErrorMiddleware } from './error-middleware';
import { type ApiLogger, consoleLogger } from './error-response';
import { ROUTE_HANDLERS } from './route-handlers';
import { dispatch, type RouteHandlers } from './router';

/** Options of {@link createApiHandler}. */
export interface ApiHandlerOptions {
  /** The ports, resolved per request (the Lambda runtime is built once and cached by the caller). */
  readonly deps: () => Promise<ApiDeps>;
  /** Where server faults are logged; stderr as JSON lines by default. */
  readonly log?: ApiLogger;
  readonly handlers?: RouteHandlers;
}

/**
 * The HTTP API Lambda handler: parse the API Gateway v2 event, route it, answer JSON. Every error becomes a
 * `{error: {code, message, field?}}` response.
 *
 * @example
 * export const handler = createApiHandler({ deps: async () => ({ state, launcher, clock: systemClock }) });
 */
export function createApiHandler(options: ApiHandlerOptions): middy.MiddyfiedHandler<unknown, ApiResponse, Error, Context> {
  return middy<unknown, ApiResponse, Error, Context>()
    .use(apiErrorMiddleware(options.log ?? consoleLogger))
    .handler(async (event: unknown, context: Context) => {
      const request = parseApiEvent(event, context.awsRequestId ?? 'unknown');
      return dispatch(request, await options.deps(), options.handlers ?? ROUTE_HANDLERS);
    });
}
