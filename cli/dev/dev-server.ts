import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { ApiResponse } from '../../functions/api/api-response';
import { instantSchema } from '../../functions/api/input-schemas';
import { toError } from '../../shared/src/errors';
import { DEV_MAX_REQUEST_BYTES, DEV_ROUTE_PREFIX, DEV_TICK_PATH } from './constants';
import { toHttpApiEvent } from './http-api-event';
import { localLambdaContext } from './lambda-context';

/** Options of {@link createDevServer}. */
export interface DevServerOptions {
  /** The api Lambda handler (functions/handlers/api.handler.ts). */
  readonly api: (event: unknown, context: Context) => Promise<ApiResponse>;
  /** Runs one scheduler tick at `time` (ISO instant) or now, answering what it started. */
  readonly tick: (time: string | undefined) => Promise<unknown>;
  readonly log: (line: string) => void;
}

const tickBody = z.strictObject({ time: instantSchema.optional() });

/** Names of hosts a request to the dev API may be addressed to (anything else is a rebinding attempt). */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

function errorJson(status: number, code: string, message: string): ApiResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: { code, message } }),
  };
}

/**
 * The dev API: every request becomes the API Gateway v2 event the deployed API would send, goes through
 * the real api handler, and its answer goes back as the HTTP response. `POST /_dev/tick` (body `{time?}`)
 * runs a scheduler tick on demand. Requests addressed to another host or sent from a web page of another
 * origin are refused: the API applies plans on this machine's warehouse without any authentication.
 */
export function createDevServer(options: DevServerOptions): Server {
  return createServer((req, res) => {
    const started = performance.now();
    void answer(req, options).then(
      (response) => send(res, response, req, started, options.log),
      (error: unknown) => {
        const e = toError(error);
        options.log(`  dev server fault: ${e.stack ?? e.message}`);
        send(res, errorJson(500, 'internal', 'the dev server failed to answer; see its log'), req, started, options.log);
      },
    );
  });
}

async function answer(req: IncomingMessage, options: DevServerOptions): Promise<ApiResponse> {
  try {
    refuseForeignCallers(req);
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path.startsWith(DEV_ROUTE_PREFIX)) return await devRoute(req, path, body, options);
    const requestId = randomUUID();
    const event = toHttpApiEvent(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      requestId,
      Date.now(),
    );
    const response = await options.api(event, localLambdaContext('meshcron-api', requestId));
    return { ...response, headers: { ...response.headers, 'apigw-requestid': requestId } };
  } catch (error) {
    if (error instanceof HttpFailure) return errorJson(error.status, error.code, error.message);
    throw error;
  }
}

function refuseForeignCallers(req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '');
  if (!LOOPBACK_HOSTNAMES.has(hostname)) {
    throw new HttpFailure(403, 'forbidden', `meshcron dev answers only requests addressed to 127.0.0.1 or localhost, not '${host}'`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost = '';
    try {
      originHost = new URL(origin).hostname;
    } catch {
      // An unreadable Origin is treated as foreign.
    }
    if (!LOOPBACK_HOSTNAMES.has(originHost)) {
      throw new HttpFailure(403, 'forbidden', `meshcron dev does not answer web pages of other origins ('${origin}')`);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > DEV_MAX_REQUEST_BYTES) {
      throw new HttpFailure(413, 'payload_too_large', `body: more than the ${DEV_MAX_REQUEST_BYTES} bytes API Gateway accepts`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function devRoute(req: IncomingMessage, path: string, body: Buffer, options: DevServerOptions): Promise<ApiResponse> {
  if (path !== DEV_TICK_PATH) throw new HttpFailure(404, 'not_found', `no dev route ${path}; dev routes: POST ${DEV_TICK_PATH}`);
  if (req.method !== 'POST') throw new HttpFailure(405, 'method_not_allowed', `${req.method} is not allowed on ${path}; allowed: POST`);
  let json: unknown = {};
  if (body.byteLength > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpFailure(400, 'malformed_json', 'body: not valid JSON');
    }
  }
  const parsed = tickBody.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new HttpFailure(400, 'invalid_input', `${problems.join('; ')}; the body is {"time"?: ISO instant}`);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(await options.tick(parsed.data.time)),
  };
}

function send(res: ServerResponse, response: ApiResponse, req: IncomingMessage, started: number, log: (line: string) => void): void {
  // The rest of an oversized upload is not worth reading: the connection closes after the answer.
  const tooLarge = response.statusCode === 413 && !req.complete;
  res.writeHead(response.statusCode, { ...response.headers, ...(tooLarge ? { connection: 'close' } : {}) });
  res.end(response.body);
  // Successful reads are left out: a CLI following a job polls twice a second.
  if (req.method !== 'GET' || response.statusCode >= 400) {
    log(`  ${req.method} ${req.url} → ${response.statusCode} (${Math.round(performance.now() - started)} ms)`);
  }
}
