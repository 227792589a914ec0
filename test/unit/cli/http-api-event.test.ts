import { parseApiEvent } from '../../../functions/api/api-request';
import { matchRoute } from '../../../functions/api/router';
import { API_ROUTES } from '../../../infra/api-routes';
import { type LocalHttpRequest, matchDeclaredRoute, requestTime, toHttpApiEvent } from '../../../cli/dev/http-api-event';

const NOW = Date.UTC(2026, 11, 3, 16, 40, 58, 123);

function request(method: string, url: string, options: { headers?: LocalHttpRequest['headers']; body?: string | Buffer } = {}): LocalHttpRequest {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  return { method, url, headers: { host: '127.0.0.1:8787', ...options.headers }, body, sourceIp: '127.0.0.1' };
}

describe('toHttpApiEvent', () => {
  it('builds the payload 2.0 event of a declared route, path parameters decoded', () => {
    // Act
    const event = toHttpApiEvent(request('get', '/runs/run%2Fa%20b/batches?page=2', { headers: { 'user-agent': 'curl/8' } }), 'req-1', NOW);

    // Assert
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /runs/{runId}/batches',
      rawPath: '/runs/run%2Fa%20b/batches',
      rawQueryString: 'page=2',
      headers: { host: '127.0.0.1:8787', 'user-agent': 'curl/8' },
      queryStringParameters: { page: '2' },
      pathParameters: { runId: 'run/a b' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'meshcron-dev',
        domainName: '127.0.0.1:8787',
        domainPrefix: '127',
        http: { method: 'GET', path: '/runs/run%2Fa%20b/batches', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        requestId: 'req-1',
        routeKey: 'GET /runs/{runId}/batches',
        stage: '$default',
        time: '03/Dec/2026:16:40:58 +0000',
        timeEpoch: NOW,
      },
      isBase64Encoded: false,
    });
  });

  it('is read by the api handler as the request it was', () => {
    // Arrange
    const body = JSON.stringify({ environment: 'dev', files: { 'config.yaml': 'x' } });

    // Act
    const parsed = parseApiEvent(toHttpApiEvent(request('POST', '/plans', { headers: { 'content-type': 'application/json' }, body }), 'req-2', NOW), 'fallback');

    // Assert
    expect(parsed).toEqual({ method: 'POST', path: '/plans', routeKey: 'POST /plans', pathParameters: {}, body, requestId: 'req-2' });
  });

  it('sends an unmatched path as $default, so the handler answers 404 or 405 itself', () => {
    const wrongMethod = toHttpApiEvent(request('DELETE', '/environments/prod'), 'r', NOW);
    const unknown = toHttpApiEvent(request('GET', '/nope'), 'r', NOW);

    expect([wrongMethod.routeKey, wrongMethod.pathParameters, unknown.routeKey]).toEqual(['$default', undefined, '$default']);
    expect(() => matchRoute(parseApiEvent(wrongMethod, 'r'))).toThrow('DELETE is not allowed on /environments/prod; allowed: GET');
  });

  it('joins repeated headers with commas and passes cookies apart, as API Gateway does', () => {
    const event = toHttpApiEvent(request('GET', '/environments', { headers: { 'x-multi': ['a', 'b'], cookie: 'a=1; b=2' } }), 'r', NOW);

    expect(event.headers['x-multi']).toBe('a,b');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
  });

  it('base64-encodes a body of a binary content type and passes text as is', () => {
    const bytes = Buffer.from([0, 255, 1]);
    const binary = toHttpApiEvent(request('POST', '/plans', { headers: { 'content-type': 'application/octet-stream' }, body: bytes }), 'r', NOW);
    const json = toHttpApiEvent(request('POST', '/plans', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":"é"}' }), 'r', NOW);

    expect([binary.body, binary.isBase64Encoded]).toEqual([bytes.toString('base64'), true]);
    expect([json.body, json.isBase64Encoded]).toEqual(['{"a":"é"}', false]);
    expect(parseApiEvent(binary, 'r').body).toBe(bytes.toString('utf8'));
  });

  it('leaves a malformed escape in a path parameter for the handler to refuse', () => {
    expect(matchDeclaredRoute('GET', '/runs/%E0%A4%A')?.pathParameters).toEqual({ runId: '%E0%A4%A' });
  });
});

describe('matchDeclaredRoute', () => {
  it.each(API_ROUTES.map((r) => [r.routeKey, r] as const))('matches %s by its own path', (_key, route) => {
    const path = route.path.replace(/\{(\w+)\}/g, 'x-1');
    expect(matchDeclaredRoute(route.method, path)?.route).toBe(route);
  });
});

describe('requestTime', () => {
  it.each([
    [Date.UTC(2026, 0, 5, 3, 4, 5), '05/Jan/2026:03:04:05 +0000'],
    [Date.UTC(2026, 11, 31, 23, 59, 59, 999), '31/Dec/2026:23:59:59 +0000'],
  ])('%i is written %s in UTC', (ms, text) => {
    expect(requestTime(ms)).toBe(text);
  });
});
