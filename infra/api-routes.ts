/**
 * Routes of the control HTTP API. Every route goes to the `api` handler with IAM (SigV4) authorization;
 * the handler routes on `event.routeKey`, which equals {@link ApiRoute.routeKey}.
 */

/** One HTTP API route. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `{param}` placeholders, as API Gateway writes it. */
  readonly path: string;
  /** `${method} ${path}`, the `routeKey` of the API Gateway v2 event. */
  readonly routeKey: string;
}

function route(method: ApiRoute['method'], path: string): ApiRoute {
  return { method, path, routeKey: `${method} ${path}` };
}

/** All routes, in the order they are declared. */
export const API_ROUTES: readonly ApiRoute[] = [
  route('GET', '/environments'),
  route('GET', '/environments/{env}'),
  route('GET', '/environments/{env}/models'),
  route('POST', '/environments/{env}/runs'),
  route('GET', '/runs/{runId}'),
  route('GET', '/runs/{runId}/batches'),
  route('POST', '/plans'),
  route('GET', '/plans/{planId}'),
  route('GET', '/environments/{env}/pauses'),
  route('POST', '/environments/{env}/pauses'),
  route('DELETE', '/environments/{env}/pauses/{pauseId}'),
  route('GET', '/environments/{env}/pauses/{pauseId}/preview'),
  route('GET', '/connections'),
  route('POST', '/connections'),
  route('PUT', '/connections/{gateway}'),
  route('DELETE', '/connections/{gateway}'),
  route('POST', '/connections/{gateway}/default'),
];
