import { ApiCallError, ApiClient, isLoopbackUrl, regionOfApiUrl } from '../../../functions/adapters/api-client';
import { signRequest } from '../../../functions/adapters/api-client-sigv4';
import { fixedClock } from '../../../shared/src/ports/clock';

interface SentRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** A fetch that records what it was given and answers `status` with `body`. */
function recordingFetch(status: number, body: string): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fake as typeof fetch, sent };
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-1' };
const NOW = Date.UTC(2026, 10, 8, 6, 0, 0);

describe('ApiClient on meshcron dev (127.0.0.1)', () => {
  it('sends plain JSON requests and never asks for credentials', async () => {
    // Arrange
    const { fetch, sent } = recordingFetch(202, '{"planId":"p1","status":"started"}');
    const credentials = jest.fn(async () => CREDENTIALS);
    const client = new ApiClient('http://127.0.0.1:8787', { fetch, credentials });

    // Act
    const answer = await client.post('/plans', { environment: 'prod', files: {} });

    // Assert
    expect(answer).toEqual({ planId: 'p1', status: 'started' });
    expect(client.signed).toBe(false);
    expect(credentials).not.toHaveBeenCalled();
    expect(sent).toEqual([
      {
        url: 'http://127.0.0.1:8787/plans',
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: '{"environment":"prod","files":{}}',
      },
    ]);
  });

  it("turns the API's {error} answer into an ApiCallError with its status, code and message", async () => {
    const { fetch } = recordingFetch(404, '{"error":{"code":"not_found","message":"environment \'qa\' does not exist; known environments: prod"}}');
    const client = new ApiClient('http://localhost:8787', { fetch });

    const failure = client.get('/environments/qa');

    await expect(failure).rejects.toThrow(ApiCallError);
    await expect(failure).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      message: "GET /environments/qa answered 404 not_found: environment 'qa' does not exist; known environments: prod",
    });
  });

  it('names the URL when the API cannot be reached', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    }) as typeof fetch;
    const client = new ApiClient('http://127.0.0.1:9', { fetch: refused });

    await expect(client.get('/environments')).rejects.toThrow(
      'cannot reach the Meshcron API at http://127.0.0.1:9: fetch failed (ECONNREFUSED); is the URL right and meshcron dev running?',
    );
  });

  it('reports an answer that is not JSON with an excerpt', async () => {
    const { fetch } = recordingFetch(502, '<html>Bad Gateway</html>');
    const client = new ApiClient('http://127.0.0.1:8787', { fetch });

    await expect(client.get('/environments')).rejects.toThrow('GET /environments answered 502 with a body that is not JSON: <html>Bad Gateway</html>');
  });
});

describe('ApiClient on a deployed API', () => {
  const URL_EU = 'https://abc123.execute-api.eu-west-1.amazonaws.com';

  it('signs every request for execute-api in the region of the URL, with the session token', async () => {
    // Arrange
    const { fetch, sent } = recordingFetch(200, '{"environments":[]}');
    const client = new ApiClient(URL_EU, { fetch, credentials: async () => CREDENTIALS, clock: fixedClock(NOW), env: { AWS_REGION: 'us-east-1' } });

    // Act
    await client.get('/environments/prod');

    // Assert
    const [request] = sent;
    const expected = signRequest(
      { method: 'GET', url: new URL(`${URL_EU}/environments/prod`), headers: { accept: 'application/json' } },
      CREDENTIALS,
      { region: 'eu-west-1', service: 'execute-api' },
      NOW,
    );
    expect(request?.headers).toEqual(expected.headers);
    expect(Object.keys(request?.headers ?? {}).sort()).toEqual(['accept', 'authorization', 'x-amz-date', 'x-amz-security-token']);
    expect(request?.headers.authorization).toContain('/20261108/eu-west-1/execute-api/aws4_request, SignedHeaders=accept;host;x-amz-date;x-amz-security-token, ');
  });

  it('keeps a stage path of the base URL in front of every route', async () => {
    const { fetch, sent } = recordingFetch(200, '{}');
    const client = new ApiClient(`${URL_EU}/v1/`, { fetch, credentials: async () => CREDENTIALS });

    await client.get('/runs/run-1');

    expect(sent[0]?.url).toBe(`${URL_EU}/v1/runs/run-1`);
  });

  it('takes the region from AWS_REGION for a custom domain, and refuses to guess without it', () => {
    expect(() => new ApiClient('https://meshcron.example.com', { env: {} })).toThrow(
      '--api https://meshcron.example.com: cannot tell the AWS region from this host; set AWS_REGION (or use the https://<id>.execute-api.<region>.amazonaws.com URL)',
    );
    expect(new ApiClient('https://meshcron.example.com', { env: { AWS_REGION: 'ap-south-1' } }).signed).toBe(true);
  });

  it('refuses to send signed requests over plain http and URLs that are not http(s)', () => {
    expect(() => new ApiClient('http://meshcron.example.com', { env: { AWS_REGION: 'eu-west-1' } })).toThrow(/signed requests are only sent over https/);
    expect(() => new ApiClient('ftp://127.0.0.1')).toThrow("--api: 'ftp://127.0.0.1' must be an http:// or https:// URL");
    expect(() => new ApiClient('not a url')).toThrow("--api: 'not a url' is not a URL");
  });

  it("passes API Gateway's own refusal on (a 403 for a bad signature has only {message})", async () => {
    const { fetch } = recordingFetch(403, '{"message":"The security token included in the request is invalid."}');
    const client = new ApiClient(URL_EU, { fetch, credentials: async () => CREDENTIALS });

    await expect(client.get('/environments')).rejects.toMatchObject({
      status: 403,
      code: 'http_403',
      message: 'GET /environments answered 403 http_403: The security token included in the request is invalid.',
    });
  });

  it('says so when no credentials can be found', async () => {
    const { fetch, sent } = recordingFetch(200, '{}');
    const client = new ApiClient(URL_EU, {
      fetch,
      credentials: async () => {
        throw new Error('Could not load credentials from any providers');
      },
    });

    await expect(client.get('/environments')).rejects.toThrow(
      'cannot sign requests to https://abc123.execute-api.eu-west-1.amazonaws.com: no AWS credentials (Could not load credentials from any providers)',
    );
    expect(sent).toEqual([]);
  });
});

describe('URL helpers', () => {
  it.each([
    ['http://127.0.0.1:8787', true],
    ['http://localhost:1', true],
    ['http://[::1]:8787', true],
    ['https://abc.execute-api.eu-west-1.amazonaws.com', false],
    ['http://127.0.0.1.nip.io', false],
  ])('%s is on this machine: %s', (url, loopback) => {
    expect(isLoopbackUrl(new URL(url))).toBe(loopback);
  });

  it.each([
    ['https://abc123.execute-api.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod', 'cn-north-1'],
    ['https://api.example.com', undefined],
  ])('the region of %s is %s', (url, region) => {
    expect(regionOfApiUrl(new URL(url))).toBe(region);
  });
});
