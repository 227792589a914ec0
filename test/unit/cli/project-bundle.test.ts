import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_BUNDLE_BYTES, MAX_BUNDLE_FILES } from '../../../functions/api/constants';
import { collectProjectBundle } from '../../../cli/remote/project-bundle';

let root: string;

async function put(relative: string, text: string): Promise<void> {
  const file = path.join(root, ...relative.split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-bundle-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('collectProjectBundle', () => {
  it('takes config, external models, the requirements lock and the models, seeds, audits and macros trees only', async () => {
    // Arrange
    const wanted: Record<string, string> = {
      'config.yaml': 'gateways: {}\n',
      'external_models.yaml': '- name: raw.events\n',
      'sqlmesh-requirements.lock': 'pandas==2.2\n',
      'models/a.sql': 'SELECT 1',
      'models/deep/er/b.sql': 'SELECT 2',
      'seeds/s.csv': 'id\n1\n',
      'audits/x.sql': 'AUDIT (name x); SELECT 1',
      'macros/m.py': 'x = 1\n',
    };
    for (const [file, text] of Object.entries(wanted)) await put(file, text);
    for (const skipped of [
      'README.md',
      '.env',
      'models/.draft.sql',
      'models/.git/HEAD',
      'models/node_modules/x.sql',
      'tests/test_a.yaml',
      '.meshcron/state/shared-local-instance.db',
      '.meshcron/bundles/plan-1.json',
      'node_modules/pkg/index.js',
    ]) {
      await put(skipped, 'not bundled');
    }

    // Act
    const bundle = await collectProjectBundle(root);

    // Assert
    expect(bundle).toEqual(wanted);
    expect(Object.keys(bundle)).toEqual(Object.keys(wanted).sort());
  });

  it('gives a project without optional folders just its config', async () => {
    await put('config.yml', 'model_defaults: {dialect: duckdb}\n');

    expect(await collectProjectBundle(root)).toEqual({ 'config.yml': 'model_defaults: {dialect: duckdb}\n' });
  });

  it('refuses a project over the number of files the API accepts', async () => {
    await Promise.all(Array.from({ length: MAX_BUNDLE_FILES + 1 }, (_, i) => put(`models/m${i}.sql`, 'SELECT 1')));

    await expect(collectProjectBundle(root)).rejects.toThrow(`${root}: ${MAX_BUNDLE_FILES + 1} project files is more than the ${MAX_BUNDLE_FILES} a plan may submit`);
  });

  it('refuses a project over the bytes the API accepts', async () => {
    await put('config.yaml', '');
    await put('seeds/big.csv', 'x'.repeat(MAX_BUNDLE_BYTES + 1));

    await expect(collectProjectBundle(root)).rejects.toThrow(`${root}: ${MAX_BUNDLE_BYTES + 1} bytes of project files is more than the ${MAX_BUNDLE_BYTES} a plan may submit`);
  });
});
