import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API_ROUTES, type ApiRoute } from '../../infra/api-routes';

/** An HTTP request as `meshcron dev` received it, body read in full. */
export interface LocalHttpRequest {
  readonly method: string;
  /** Path and query as on the request line (`/runs/run-1?x=1`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** Route key API Gateway uses when no declared route matched (the handler then answers 404/405 itself). */
export const DEFAULT_ROUTE_KEY = '$default';

/** Stand-ins for the account and API ids a deployed API puts in every event. */
const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_API_ID = 'meshcron-dev';

/**
 * Content types API Gateway passes to Lambda as text; any other body arrives base64-encoded with
 * `isBase64Encoded: true`.
 */
const TEXT_CONTENT_RE = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json|[\w.+-]+\+xml)\b)/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A declared route matched by method and path, with its path parameters decoded as API Gateway does. */
export function matchDeclaredRoute(
  method: string,
  path: string,
  routes: readonly ApiRoute[] = API_ROUTES,
): { route: ApiRoute; pathParameters: Record<string, string> } | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.path.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      const segment = segments[i] as string;
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segment;
      pathParameters[name] = decodeOrKeep(segment);
      return true;
    });
    if (fits) return { route, pathParameters };
  }
  return undefined;
}

/** A malformed escape is passed on as sent; the handler's input validation then names it. */
function decodeOrKeep(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `03/Dec/2026:16:40:58 +0000`, the format of `requestContext.time`. */
export function requestTime(nowMs: number): string {
  const d = new Date(nowMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * The API Gateway HTTP API (payload format 2.0) event the deployed API would hand the api handler for this
 * request: route key and path parameters from {@link API_ROUTES}, lower-case headers (repeated ones joined
 * by commas, cookies apart), query parameters, and the body as text or base64 by content type.
 */
export function toHttpApiEvent(request: LocalHttpRequest, requestId: string, nowMs: number): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://local');
  const method = request.method.toUpperCase();
  const matched = matchDeclaredRoute(method, url.pathname);
  const routeKey = matched ? matched.route.routeKey : DEFAULT_ROUTE_KEY;

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter((c) => c !== '');
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const host = headers.host ?? '127.0.0.1';
  const hasBody = request.body.byteLength > 0;
  const isText = !hasBody || TEXT_CONTENT_RE.test(headers['content-type'] ?? 'application/json');

  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(cookies ? { cookies } : {}),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(matched && Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: requestTime(nowMs),
      timeEpoch: nowMs,
    },
    ...(hasBody ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}
