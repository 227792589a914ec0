import { parseApiEvent } from '../../../functions/api/api-request';
import { ROUTE_HANDLERS } from '../../../functions/api/route-handlers';
import { matchRoute } from '../../../functions/api/router';
import { API_ROUTES } from '../../../infra/api-routes';
import { rawEvent, routeEvent } from './support/events';

const request = (event: unknown) => parseApiEvent(event, 'ctx-id');

describe('route table', () => {
  it('has exactly one handler per route the stack declares', () => {
    expect(Object.keys(ROUTE_HANDLERS).sort()).toEqual(API_ROUTES.map((r) => r.routeKey).sort());
  });
});

describe('matchRoute', () => {
  it('takes the route and decoded parameters API Gateway matched', () => {
    const matched = matchRoute(request(routeEvent('GET /environments/{env}/models', { env: 'feature/x 1' })));
    expect(matched).toEqual({ route: expect.objectContaining({ routeKey: 'GET /environments/{env}/models' }), params: { env: 'feature/x 1' } });
  });

  it.each([
    ['GET', '/environments', 'GET /environments', {}],
    ['GET', '/environments/dev', 'GET /environments/{env}', { env: 'dev' }],
    ['GET', '/environments/feature%2Fx%201/models', 'GET /environments/{env}/models', { env: 'feature/x 1' }],
    ['POST', '/environments/dev/runs', 'POST /environments/{env}/runs', { env: 'dev' }],
    ['GET', '/runs/run-1/batches', 'GET /runs/{runId}/batches', { runId: 'run-1' }],
    ['GET', '/runs/run-1/', 'GET /runs/{runId}', { runId: 'run-1' }],
    ['post', '/plans', 'POST /plans', {}],
  ])('matches %s %s by path when API Gateway matched no route', (method, path, routeKey, params) => {
    expect(matchRoute(request(rawEvent(method, path)))).toEqual({ route: expect.objectContaining({ routeKey }), params });
  });

  it('drops a named stage from the path', () => {
    const event = { ...rawEvent('GET', '/v1/runs/r1'), requestContext: { http: { method: 'GET' }, requestId: 'r', stage: 'v1' } };
    expect(matchRoute(request(event))).toEqual({ route: expect.objectContaining({ routeKey: 'GET /runs/{runId}' }), params: { runId: 'r1' } });
  });

  it('answers 404 for an unknown path, listing the routes', () => {
    expect(() => matchRoute(request(rawEvent('GET', '/environment')))).toThrow(
      expect.objectContaining({
        name: 'ApiError',
        status: 404,
        code: 'not_found',
        message: `no route for GET /environment; routes: ${API_ROUTES.map((r) => r.routeKey).join(', ')}`,
      }),
    );
  });

  it('answers 405 with Allow for a known path and another method', () => {
    expect(() => matchRoute(request(rawEvent('DELETE', '/plans/p1')))).toThrow(
      expect.objectContaining({ status: 405, code: 'method_not_allowed', message: 'DELETE is not allowed on /plans/p1; allowed: GET', headers: { allow: 'GET' } }),
    );
  });

  it('answers 400 naming the parameter for a malformed escape', () => {
    expect(() => matchRoute(request(rawEvent('GET', '/runs/%E0%A4%A')))).toThrow(
      expect.objectContaining({ status: 400, field: 'runId', message: "runId: '%E0%A4%A' is not a valid URL-encoded path segment" }),
    );
  });
});

describe('parseApiEvent', () => {
  it('decodes a base64 body as UTF-8 and keeps the event request id', () => {
    const parsed = request(routeEvent('POST /plans', {}, { body: '{"é":1}', base64: true, requestId: 'abc' }));
    expect(parsed).toEqual({
      method: 'POST',
      path: '/plans',
      routeKey: 'POST /plans',
      pathParameters: {},
      body: '{"é":1}',
      requestId: 'abc',
    });
  });

  it('refuses an event that is not an HTTP API request as a server fault, not a 4xx', () => {
    expect(() => request({ Records: [] })).toThrow(
      expect.objectContaining({ name: 'SchedulerError', message: expect.stringContaining('rawPath: Invalid input') }),
    );
  });
});
