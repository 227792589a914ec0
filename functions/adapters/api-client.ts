import { SchedulerError, toError } from '../../shared/src/errors';
import { type Clock, systemClock } from '../../shared/src/ports/clock';
import { type SigningCredentials, signRequest } from './api-client-sigv4';

/** Resolves AWS credentials (the default provider chain unless a test passes its own). */
export type CredentialSource = () => Promise<SigningCredentials>;

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Credentials for a deployed API; default: the AWS SDK's default chain (env, profile, SSO, role…). */
  readonly credentials?: CredentialSource;
  /** Signing region; default: the one in an `execute-api` URL, else AWS_REGION or AWS_DEFAULT_REGION. */
  readonly region?: string;
  /** The HTTP client; default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Time of the signature. */
  readonly clock?: Clock;
  /** Give up on a request after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Where AWS_REGION is read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The API answered with an error status; `code` is its `{error: {code}}` (or `http_<status>`). */
export class ApiCallError extends SchedulerError {
  readonly status: number;
  readonly code: string;
  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = code;
  }
}

/** SigV4 service name of API Gateway. */
const EXECUTE_API_SERVICE = 'execute-api';
const DEFAULT_TIMEOUT_MS = 30_000;
/** `https://<id>.execute-api.<region>.amazonaws.com[.cn]`: the region is part of the host. */
const EXECUTE_API_HOST_RE = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** How much of a non-JSON answer goes into an error message. */
const BODY_EXCERPT_CHARS = 200;

/** True for an API on this machine (`meshcron dev`): such requests are sent without any credentials. */
export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname === '::1';
}

/** The region named by an API Gateway default endpoint, or undefined for any other host. */
export function regionOfApiUrl(url: URL): string | undefined {
  return EXECUTE_API_HOST_RE.exec(url.hostname)?.[1];
}

let defaultCredentials: CredentialSource | undefined;

/** The SDK's default chain, loaded only when a deployed API is called (local use never touches it). */
async function resolveDefaultCredentials(): Promise<SigningCredentials> {
  if (!defaultCredentials) {
    const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
    defaultCredentials = defaultProvider();
  }
  return defaultCredentials();
}

/**
 * A JSON client of the Meshcron control API: `meshcron dev` on 127.0.0.1 (plain requests) or a deployed
 * API Gateway (every request SigV4-signed for `execute-api`). Error answers become {@link ApiCallError}s
 * carrying the API's own message; an unreachable API a SchedulerError naming the URL.
 *
 * @example
 * const api = new ApiClient('https://abc123.execute-api.eu-west-1.amazonaws.com');
 * const prod = await api.get('/environments/prod');
 */
export class ApiClient {
  readonly baseUrl: URL;
  /** Whether requests are signed (any API not on this machine). */
  readonly signed: boolean;
  private readonly region: string | undefined;

  constructor(
    baseUrl: string,
    private readonly options: ApiClientOptions = {},
  ) {
    this.baseUrl = parseApiUrl(baseUrl);
    this.signed = !isLoopbackUrl(this.baseUrl);
    if (!this.signed) return;
    if (this.baseUrl.protocol !== 'https:') {
      throw new SchedulerError(
        `--api ${baseUrl}: signed requests are only sent over https; use the https:// URL of the deployed API (plain http is for meshcron dev on 127.0.0.1)`,
      );
    }
    const env = options.env ?? process.env;
    this.region = options.region ?? regionOfApiUrl(this.baseUrl) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!this.region) {
      throw new SchedulerError(
        `--api ${baseUrl}: cannot tell the AWS region from this host; set AWS_REGION (or use the https://<id>.execute-api.<region>.amazonaws.com URL)`,
      );
    }
  }

  async get(path: string): Promise<unknown> {
    return this.send('GET', path, undefined);
  }

  async post(path: string, body?: unknown): Promise<unknown> {
    return this.send('POST', path, body === undefined ? undefined : JSON.stringify(body));
  }

  private async send(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<unknown> {
    const url = new URL(`${this.baseUrl.pathname.replace(/\/$/, '')}${path}`, this.baseUrl);
    let headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.signed) {
      const credentials = await (this.options.credentials ?? resolveDefaultCredentials)().catch((error: unknown) => {
        throw new SchedulerError(`cannot sign requests to ${this.baseUrl.origin}: no AWS credentials (${toError(error).message})`, {
          cause: error,
        });
      });
      const nowMs = (this.options.clock ?? systemClock).nowMs();
      const region = this.region as string;
      headers = signRequest({ method, url, headers, ...(body !== undefined ? { body } : {}) }, credentials, { region, service: EXECUTE_API_SERVICE }, nowMs).headers;
    }
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = toError(error);
      // fetch says only 'fetch failed'; what failed (ECONNREFUSED, ENOTFOUND, a timeout) is in its cause.
      const inner = cause.cause === undefined ? undefined : toError(cause.cause);
      const code = (inner as { code?: unknown } | undefined)?.code;
      const detail = typeof code === 'string' ? code : inner?.message;
      throw new SchedulerError(
        `cannot reach the Meshcron API at ${this.baseUrl.origin}: ${cause.message}${detail ? ` (${detail})` : ''}; is the URL right${this.signed ? '' : ' and meshcron dev running'}?`,
        { cause },
      );
    }
    return readAnswer(method, path, response);
  }
}

function parseApiUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SchedulerError(`--api: '${text}' is not a URL; e.g. http://127.0.0.1:8787 or https://abc123.execute-api.eu-west-1.amazonaws.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SchedulerError(`--api: '${text}' must be an http:// or https:// URL`);
  }
  if (url.search || url.hash) throw new SchedulerError(`--api: '${text}' must not have a query or fragment; give the API's base URL`);
  return url;
}

async function readAnswer(method: string, path: string, response: Response): Promise<unknown> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    const excerpt = text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
    throw new ApiCallError(`${method} ${path} answered ${response.status} with a body that is not JSON: ${excerpt}`, response.status, `http_${response.status}`);
  }
  if (response.ok) return json;
  const { code, message } = errorOf(json, response.status);
  throw new ApiCallError(`${method} ${path} answered ${response.status} ${code}: ${message}`, response.status, code);
}

/** Meshcron's `{error: {code, message}}`, or API Gateway's own `{message}` (e.g. a refused signature). */
function errorOf(json: unknown, status: number): { code: string; message: string } {
  if (typeof json === 'object' && json !== null) {
    const { error, message } = json as { error?: { code?: unknown; message?: unknown }; message?: unknown };
    if (error && typeof error.message === 'string') return { code: typeof error.code === 'string' ? error.code : `http_${status}`, message: error.message };
    if (typeof message === 'string') return { code: `http_${status}`, message };
  }
  return { code: `http_${status}`, message: JSON.stringify(json) ?? '(empty body)' };
}
