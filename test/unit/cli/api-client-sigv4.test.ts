import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import {
  amzDate,
  canonicalPath,
  canonicalQuery,
  deriveSigningKey,
  signRequest,
  type SigningCredentials,
} from '../../../functions/adapters/api-client-sigv4';

/** The credentials of AWS's published SigV4 examples (not a real key). */
const EXAMPLE: SigningCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const EXAMPLE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('SigV4 against AWS published examples', () => {
  it('get-vanilla: canonical request, string to sign and signature of the signature test suite', () => {
    // Arrange
    const request = { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} };

    // Act
    const signed = signRequest(request, EXAMPLE, { region: 'us-east-1', service: 'service' }, EXAMPLE_TIME);

    // Assert
    expect(signed.canonicalRequest).toBe(
      ['GET', '/', '', 'host:example.amazonaws.com', 'x-amz-date:20150830T123600Z', '', 'host;x-amz-date', EMPTY_SHA256].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      [
        'AWS4-HMAC-SHA256',
        '20150830T123600Z',
        '20150830/us-east-1/service/aws4_request',
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
      ].join('\n'),
    );
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('get-vanilla-query-order-key-case: query parameters are sorted before signing', () => {
    const signed = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'), headers: {} },
      EXAMPLE,
      { region: 'us-east-1', service: 'service' },
      EXAMPLE_TIME,
    );

    expect(signed.canonicalRequest.split('\n')[2]).toBe('Param1=value1&Param2=value2');
    expect(signed.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('IAM ListUsers example: signing key, canonical request hash, signed headers and signature', () => {
    // Arrange
    const request = {
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    };
    const scope = { region: 'us-east-1', service: 'iam' };

    // Act
    const signed = signRequest(request, EXAMPLE, scope, EXAMPLE_TIME);

    // Assert
    expect(deriveSigningKey(EXAMPLE.secretAccessKey, '20150830', scope).toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    expect(createHash('sha256').update(signed.canonicalRequest).digest('hex')).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
    expect(signed.signedHeaders).toBe('content-type;host;x-amz-date');
    expect(signed.signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });
});

describe('SigV4 headers', () => {
  it('returns the request headers plus x-amz-date and authorization, never host (the HTTP client sends it)', () => {
    const signed = signRequest(
      { method: 'POST', url: new URL('https://abc.execute-api.eu-west-1.amazonaws.com/plans'), headers: { 'content-type': 'application/json' }, body: '{}' },
      EXAMPLE,
      { region: 'eu-west-1', service: 'execute-api' },
      EXAMPLE_TIME,
    );

    expect(Object.keys(signed.headers).sort()).toEqual(['authorization', 'content-type', 'x-amz-date']);
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.signedHeaders).toBe('content-type;host;x-amz-date');
    expect(signed.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/execute-api\/aws4_request, /);
    // The payload hash is the last line of the canonical request.
    expect(signed.canonicalRequest.endsWith(`\n${createHash('sha256').update('{}').digest('hex')}`)).toBe(true);
  });

  it('sends and signs the session token of temporary credentials', () => {
    const signed = signRequest(
      { method: 'GET', url: new URL('https://abc.execute-api.eu-west-1.amazonaws.com/environments'), headers: {} },
      { ...EXAMPLE, sessionToken: 'token/with+chars=' },
      { region: 'eu-west-1', service: 'execute-api' },
      EXAMPLE_TIME,
    );

    expect(signed.headers['x-amz-security-token']).toBe('token/with+chars=');
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
  });

  it('leaves hop-by-hop and client-set headers unsigned', () => {
    const signed = signRequest(
      { method: 'GET', url: new URL('https://h.example/'), headers: { 'User-Agent': 'x', Connection: 'keep-alive', Accept: 'application/json' } },
      EXAMPLE,
      { region: 'us-east-1', service: 'execute-api' },
      EXAMPLE_TIME,
    );

    expect(signed.signedHeaders).toBe('accept;host;x-amz-date');
  });

  it('dates the signature in UTC whatever the process time zone', () => {
    expect(amzDate(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toBe('20260101T000000Z');
  });
});

describe('canonical forms', () => {
  it.each([
    ['/', '/'],
    ['/runs/run-1', '/runs/run-1'],
    ['/environments/a%20b', '/environments/a%2520b'],
    ['/a//b/./c/../d/', '/a/b/d/'],
    ["/x/it's(1)*", '/x/it%27s%281%29%2A'],
  ])('path %s signs as %s', (path, canonical) => {
    expect(canonicalPath(path)).toBe(canonical);
  });

  it('encodes query names and values and sorts by name, then value', () => {
    expect(canonicalQuery(new URLSearchParams('b=2&a=x y&a=1&A=*'))).toBe('A=%2A&a=1&a=x%20y&b=2');
  });
});

/** SHA-256 on node:crypto in the shape @smithy/signature-v4 takes (the project has no @aws-crypto package). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key =
      secret === undefined || typeof secret === 'string'
        ? secret
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

describe('SigV4 agrees with the AWS SDK signer', () => {
  const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '.' && s !== '..');

  it('for any path, query, body, session token and time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }),
        async (segments, query, body, sessionToken, nowMs) => {
          // Arrange
          const url = new URL(`https://abc123.execute-api.eu-west-1.amazonaws.com/${segments.map(encodeURIComponent).join('/')}`);
          for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
          const credentials = { ...EXAMPLE, ...(sessionToken ? { sessionToken } : {}) };
          const headers = { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
          const method = body === undefined ? 'GET' : 'POST';
          const sdk = new SignatureV4({
            credentials,
            region: 'eu-west-1',
            service: 'execute-api',
            sha256: NodeSha256,
            applyChecksum: false,
          });

          // Act
          const mine = signRequest({ method, url, headers, ...(body !== undefined ? { body } : {}) }, credentials, { region: 'eu-west-1', service: 'execute-api' }, nowMs);
          const theirs = await sdk.sign(
            {
              method,
              protocol: 'https:',
              hostname: url.hostname,
              path: url.pathname,
              query: Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k).length > 1 ? url.searchParams.getAll(k) : (url.searchParams.get(k) as string)])),
              headers: { ...headers, host: url.host },
              ...(body !== undefined ? { body } : {}),
            },
            { signingDate: new Date(nowMs) },
          );

          // Assert
          expect(mine.headers.authorization).toBe(theirs.headers.authorization);
        },
      ),
      { numRuns: 200 },
    );
  });
});
