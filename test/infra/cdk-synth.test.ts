import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../infra/constructs/handler-functions';
import { HANDLER_NAMES } from '../../infra/handlers';

const run = promisify(execFile);

interface AssetManifest {
  readonly files: Record<string, { readonly source: { readonly path: string; readonly packaging?: string } }>;
}

describe('npx cdk synth (the CLI, with esbuild bundling)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshcron-cdk-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('works offline with no AWS account and bundles every handler', async () => {
    // Arrange: no credentials, no region, no version check or telemetry, and a proxy that refuses every
    // connection, so anything that needed the network or an account would fail here.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
    for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];

    // Act
    await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', outdir], { cwd: REPO_ROOT, env, timeout: 110_000 });

    // Assert: the template has every function, and each function's code asset is a real bundle.
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Meshcron.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { FunctionName?: string; Handler?: string; Code?: { S3Key?: string } } }>;
    };
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(functions.map((fn) => fn.Properties.FunctionName).sort()).toEqual(HANDLER_NAMES.map((name) => `meshcron-${name}`).sort());
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'Meshcron.assets.json'), 'utf8')) as AssetManifest;
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const hash = fn.Properties.Code?.S3Key?.replace(/\.zip$/, '') ?? '';
      const asset = assets.files[hash];
      expect(asset?.source.packaging).toBe('zip');
      const bundle = fs.readFileSync(path.join(outdir, asset?.source.path ?? 'missing', 'index.js'), 'utf8');
      // esbuild's CommonJS export of the entry's `handler`, which the function's Handler `index.handler` loads.
      expect(bundle).toMatch(/\{handler:\(\)=>[\w$]+\}/);
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  }, 120_000);
});
