import { API_ROUTES } from '../../../../infra/api-routes';

/** An API Gateway HTTP API (payload 2.0) event, with only the fields the handler reads plus a few realistic ones. */
export interface HttpApiEvent {
  readonly version: '2.0';
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly requestContext: { readonly http: { readonly method: string; readonly path: string }; readonly requestId: string; readonly stage: string };
  readonly pathParameters?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

export interface EventOptions {
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  readonly base64?: boolean;
  readonly requestId?: string;
  readonly stage?: string;
}

function bodyFields(options: EventOptions): Pick<HttpApiEvent, 'body' | 'isBase64Encoded'> {
  if (options.body === undefined) return { isBase64Encoded: false };
  const text = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return options.base64
    ? { body: Buffer.from(text, 'utf8').toString('base64'), isBase64Encoded: true }
    : { body: text, isBase64Encoded: false };
}

/**
 * The event API Gateway sends for a declared route: `routeKey` set, the path built from the route's
 * template with `params` URL-encoded, and `pathParameters` decoded.
 */
export function routeEvent(routeKey: string, params: Record<string, string> = {}, options: EventOptions = {}): HttpApiEvent {
  const route = API_ROUTES.find((r) => r.routeKey === routeKey);
  if (!route) throw new Error(`test bug: no route ${routeKey}`);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  return {
    version: '2.0',
    routeKey,
    rawPath: options.stage ? `/${options.stage}${path}` : path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: route.method, path }, requestId: options.requestId ?? 'req-1', stage: options.stage ?? '$default' },
    ...(Object.keys(params).length > 0 ? { pathParameters: { ...params } } : {}),
    ...bodyFields(options),
  };
}

/** An event that matched no declared route (a `$default` route, or a local caller): only method and path. */
export function rawEvent(method: string, path: string, options: EventOptions = {}): HttpApiEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method, path }, requestId: options.requestId ?? 'req-1', stage: options.stage ?? '$default' },
    ...bodyFields(options),
  };
}

/** A response with its JSON body parsed. */
export interface ParsedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
}

/** Calls a handler as Lambda would (the context is unused by the API) and parses the JSON body. */
export async function call(
  handler: (event: unknown, context: never) => Promise<{ statusCode: number; headers: Readonly<Record<string, string>>; body: string }>,
  event: HttpApiEvent | unknown,
): Promise<ParsedResponse> {
  const response = await handler(event, {} as never);
  return { statusCode: response.statusCode, headers: response.headers, json: JSON.parse(response.body) };
}
