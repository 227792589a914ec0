import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { requestIdOf } from './api-request';
import type { ApiResponse } from './api-response';
import { type ApiLogger, errorResponse } from './error-response';

/** Turns every error of the handler into a JSON error response (see {@link errorResponse}). */
export function apiErrorMiddleware(log: ApiLogger): middy.MiddlewareObj<unknown, ApiResponse, Error, Context> {
  return {
    onError: async (request) => {
      // The Lambda context may be a bare object (local stack, tests): the event's id comes first anyway.
      const requestId = requestIdOf(request.event, request.context.awsRequestId ?? 'unknown');
      request.response = errorResponse(request.error, requestId, log);
    },
  };
}
