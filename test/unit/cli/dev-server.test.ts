import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DEV_MAX_REQUEST_BYTES } from '../../../cli/dev/constants';
import { createDevServer } from '../../../cli/dev/dev-server';

let server: Server;
let port: number;
const events: APIGatewayProxyEventV2[] = [];
const ticks: (string | undefined)[] = [];
const log: string[] = [];

beforeAll(async () => {
  server = createDevServer({
    api: async (event, context) => {
      const e = event as APIGatewayProxyEventV2;
      events.push(e);
      if (e.rawPath === '/boom') throw new Error('handler bug');
      return { statusCode: 201, headers: { 'content-type': 'application/json', 'x-from': 'handler' }, body: JSON.stringify({ requestId: context.awsRequestId }) };
    },
    tick: async (time) => {
      ticks.push(time);
      return { results: [] };
    },
    log: (line) => log.push(line),
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

/** A JSON answer: `{error}` or what the fake handler sent; every field read is asserted. */
// biome-ignore lint/suspicious/noExplicitAny: answers of several shapes; every field read is asserted.
type Json = any;

/** A raw request (node:http, so Host and Origin can be set). */
function send(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, unknown>; json: Json }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers ?? {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

describe('the dev server', () => {
  it("hands the api handler the request as an event and answers with the handler's status, headers and body", async () => {
    // Act
    const res = await send('POST', '/environments/prod/runs', { headers: { 'content-type': 'application/json' }, body: '{"executionTime":"2026-11-09T06:00:00Z"}' });

    // Assert
    const event = events.at(-1);
    expect(res.status).toBe(201);
    expect(res.headers['x-from']).toBe('handler');
    expect(res.headers['apigw-requestid']).toBe(event?.requestContext.requestId);
    expect(res.json).toEqual({ requestId: event?.requestContext.requestId });
    expect([event?.routeKey, event?.pathParameters, event?.body]).toEqual([
      'POST /environments/{env}/runs',
      { env: 'prod' },
      '{"executionTime":"2026-11-09T06:00:00Z"}',
    ]);
    expect(log.at(-1)).toMatch(/^ {2}POST \/environments\/prod\/runs → 201 \(\d+ ms\)$/);
  });

  it('ticks on POST /_dev/tick with or without a time', async () => {
    const withTime = await send('POST', '/_dev/tick', { body: '{"time":"2026-11-09T06:00:00Z"}' });
    const now = await send('POST', '/_dev/tick');

    expect([withTime.status, withTime.json, now.status]).toEqual([200, { results: [] }, 200]);
    expect(ticks.slice(-2)).toEqual(['2026-11-09T06:00:00Z', undefined]);
  });

  it.each([
    ['GET', '/_dev/tick', undefined, 405, 'method_not_allowed', 'GET is not allowed on /_dev/tick; allowed: POST'],
    ['POST', '/_dev/nope', undefined, 404, 'not_found', 'no dev route /_dev/nope; dev routes: POST /_dev/tick'],
    ['POST', '/_dev/tick', '{"time":', 400, 'malformed_json', 'body: not valid JSON'],
    ['POST', '/_dev/tick', '{"at":"x"}', 400, 'invalid_input', 'body: Unrecognized key: "at"; the body is {"time"?: ISO instant}'],
  ])('%s %s %s answers %i %s', async (method, path, body, status, code, message) => {
    const res = await send(method, path, body === undefined ? {} : { body });

    expect([res.status, res.json]).toEqual([status, { error: { code, message } }]);
  });

  it('refuses web pages of other origins and other hosts, before reading anything', async () => {
    const before = events.length;

    const origin = await send('POST', '/plans', { headers: { origin: 'https://evil.example' }, body: '{}' });
    const localPage = await send('GET', '/environments', { headers: { origin: 'http://localhost:3000' } });

    expect([origin.status, origin.json.error.message]).toEqual([403, "meshcron dev does not answer web pages of other origins ('https://evil.example')"]);
    expect(localPage.status).toBe(201);
    expect(events.length).toBe(before + 1);
  });

  it('refuses a body larger than API Gateway accepts with 413', async () => {
    const res = await send('POST', '/plans', { body: Buffer.alloc(DEV_MAX_REQUEST_BYTES + 1, 0x20) });

    expect([res.status, res.json.error.code]).toEqual([413, 'payload_too_large']);
  });

  it('answers 500 when the handler itself throws, and logs the fault', async () => {
    const res = await send('GET', '/boom');

    expect([res.status, res.json]).toEqual([500, { error: { code: 'internal', message: 'the dev server failed to answer; see its log' } }]);
    expect(log.some((l) => l.startsWith('  dev server fault: Error: handler bug'))).toBe(true);
  });
});
