import { API_ROUTES, type ApiRoute } from '../../infra/api-routes';
import { SchedulerError } from '../../shared/src/errors';
import type { ApiDeps } from './api-deps';
import { ApiError } from './api-error';
import type { ApiRequest } from './api-request';
import type { ApiResponse } from './api-response';

/** A request matched to one of {@link API_ROUTES}, with its path parameters. */
export interface RoutedRequest extends ApiRequest {
  readonly route: ApiRoute;
  readonly params: Readonly<Record<string, string>>;
}

/** Answers one route. */
export type RouteHandler = (request: RoutedRequest, deps: ApiDeps) => Promise<ApiResponse>;

/** Handlers by route key (`GET /runs/{runId}`). */
export type RouteHandlers = Readonly<Record<string, RouteHandler>>;

/**
 * Finds the route of a request. API Gateway has usually matched it already (`routeKey`, `pathParameters`);
 * otherwise (a `$default` route, local callers) the path is matched against the declared routes, so an
 * unknown path is a 404 and a known path with another method a 405 with `Allow`.
 */
export function matchRoute(request: ApiRequest, routes: readonly ApiRoute[] = API_ROUTES): { route: ApiRoute; params: Record<string, string> } {
  const declared = routes.find((r) => r.routeKey === request.routeKey);
  if (declared) return { route: declared, params: { ...request.pathParameters } };

  const segments = request.path.split('/').filter((s) => s !== '');
  const samePath = routes.flatMap((route) => {
    const params = matchPath(route.path, segments);
    return params ? [{ route, params }] : [];
  });
  const hit = samePath.find((m) => m.route.method === request.method);
  if (hit) return hit;
  if (samePath.length > 0) {
    const allow = samePath.map((m) => m.route.method).join(', ');
    throw new ApiError(405, 'method_not_allowed', `${request.method} is not allowed on ${request.path}; allowed: ${allow}`, {
      headers: { allow },
    });
  }
  throw new ApiError(
    404,
    'not_found',
    `no route for ${request.method} ${request.path}; routes: ${routes.map((r) => r.routeKey).join(', ')}`,
  );
}

/** Path parameters when `segments` fit the `{param}` pattern, else undefined. */
function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((s) => s !== '');
  if (parts.length !== segments.length) return undefined;
  const names = parts.map((part) => /^\{(\w+)\}$/.exec(part)?.[1]);
  if (parts.some((part, i) => names[i] === undefined && part !== segments[i])) return undefined;
  // Decoded only once the literal parts fit, so a bad escape on another route's path stays a 404.
  const params: Record<string, string> = {};
  for (const [i, name] of names.entries()) if (name !== undefined) params[name] = decodeSegment(segments[i] as string, name);
  return params;
}

function decodeSegment(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, 'invalid_input', `${name}: '${segment}' is not a valid URL-encoded path segment`, { field: name });
  }
}

/** Routes `request` to its handler. A declared route without a handler is a deployment fault (500). */
export async function dispatch(request: ApiRequest, deps: ApiDeps, handlers: RouteHandlers): Promise<ApiResponse> {
  const { route, params } = matchRoute(request);
  const handle = handlers[route.routeKey];
  if (!handle) throw new SchedulerError(`route ${route.routeKey} is declared in infra/api-routes.ts but has no handler`);
  return handle({ ...request, route, params }, deps);
}
