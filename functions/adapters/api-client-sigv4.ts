import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for requests to a deployed Meshcron API (API Gateway with IAM authorization), on
 * node:crypto alone: the SDK's signer needs a SHA-256 package this project does not install. Follows AWS's
 * documented steps: canonical request → string to sign → derived key → signature → Authorization header.
 */

/** AWS credentials, as the default provider chain resolves them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where a signature is valid: the region and the service (`execute-api` for API Gateway). */
export interface SigningScope {
  readonly region: string;
  readonly service: string;
}

/** A request about to be sent. */
export interface SignableRequest {
  readonly method: string;
  /** The URL as it goes on the wire (path already percent-encoded once). */
  readonly url: URL;
  /** Headers to send, any case; `host` is taken from the URL when absent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The signature and every intermediate value (the intermediates are what a 403 needs to be debugged). */
export interface SignedRequest {
  /** The request's headers plus `x-amz-date`, `x-amz-security-token` (with a session) and `authorization`. */
  readonly headers: Record<string, string>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  /** `host;x-amz-date`: lower-cased names of the signed headers, sorted, joined by `;`. */
  readonly signedHeaders: string;
  readonly signature: string;
  readonly authorization: string;
}

/** The signing algorithm's name, first line of the string to sign and first word of the header. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Headers never signed: hop-by-hop headers and ones proxies or the HTTP client may rewrite on the way,
 * which would make the server compute another signature.
 */
const UNSIGNED_HEADERS = new Set([
  'authorization',
  'connection',
  'content-length',
  'expect',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20150830T123600Z`: the instant in UTC, whatever the process zone. */
export function amzDate(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` as `%XX`, upper-case hex. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical path: empty and dot segments removed (a trailing slash kept), then every segment encoded
 * again. Services other than S3 sign the path as sent encoded a second time (`/a%20b` signs as
 * `/a%2520b`), as the AWS SDKs do.
 */
export function canonicalPath(pathname: string): string {
  const out: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = out.length > 0 && pathname.endsWith('/') ? '/' : '';
  return `/${out.map(encodeRfc3986).join('/')}${trailing}`;
}

/** Query parameters encoded and sorted by name, then value. */
export function canonicalQuery(params: URLSearchParams): string {
  const pairs = [...params].map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The signing key: the secret HMAC-chained through date, region, service and `aws4_request`. */
export function deriveSigningKey(secretAccessKey: string, date: string, scope: SigningScope): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

/**
 * Signs `request` at `nowMs`. The returned headers are the ones to send (the caller's, plus date, token and
 * authorization); `host` is signed from the URL and left for the HTTP client to send.
 *
 * @example
 * const signed = signRequest({ method: 'GET', url: new URL(apiUrl + '/environments'), headers: {} },
 *   credentials, { region: 'eu-west-1', service: 'execute-api' }, Date.now());
 * await fetch(url, { headers: signed.headers });
 */
export function signRequest(
  request: SignableRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  nowMs: number,
): SignedRequest {
  const timestamp = amzDate(nowMs);
  const date = timestamp.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, 'x-amz-date': timestamp };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;

  const toSign = new Map<string, string>();
  toSign.set('host', request.url.host);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNED_HEADERS.has(lower)) continue;
    // Repeated headers are signed as one comma-joined value, and inner runs of whitespace count as one space.
    const normalised = value.trim().replace(/\s+/g, ' ');
    toSign.set(lower, lower === 'host' || !toSign.has(lower) ? normalised : `${toSign.get(lower)},${normalised}`);
  }
  const names = [...toSign.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    ...names.map((n) => `${n}:${toSign.get(n)}`),
    '',
    signedHeaders,
    sha256Hex(request.body ?? ''),
  ].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, timestamp, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', deriveSigningKey(credentials.secretAccessKey, date, scope))
    .update(stringToSign, 'utf8')
    .digest('hex');
  const authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: { ...headers, authorization }, canonicalRequest, stringToSign, signedHeaders, signature, authorization };
}
