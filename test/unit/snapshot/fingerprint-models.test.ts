import type { ModelDefinition } from '../../../shared/src/project/model';
import { fingerprintModel, hashSeedContent } from '../../../shared/src/snapshot/fingerprint';
import { fingerprintModels } from '../../../shared/src/snapshot/fingerprint-models';
import { makeModel } from './model-fixture';

function project(...models: ModelDefinition[]): Map<string, ModelDefinition> {
  return new Map(models.map((m) => [m.name, m]));
}

const fullModel = (name: string, query: string, dependsOn: string[] = []): ModelDefinition =>
  makeModel({ name, kind: { name: 'FULL' }, query, dependsOn });

describe('fingerprintModels', () => {
  const a = fullModel('s.a', 'SELECT 1 AS x');
  const b = fullModel('s.b', 'SELECT x FROM s.a', ['s.a']);
  const c = fullModel('s.c', 'SELECT x FROM s.b', ['s.b', 'raw.outside']);

  it('fingerprints each model from its parents, whatever the map order', () => {
    // Act
    const result = fingerprintModels(project(c, b, a));
    // Assert
    const fa = fingerprintModel(a, []);
    const fb = fingerprintModel(b, [fa]);
    expect(result.get('s.a')).toEqual(fa);
    expect(result.get('s.b')).toEqual(fb);
    expect(result.get('s.c')).toEqual(fingerprintModel(c, [fb]));
  });

  it('gives every descendant a new version when a root changes its data', () => {
    const before = fingerprintModels(project(a, b, c));
    const after = fingerprintModels(project(fullModel('s.a', 'SELECT 2 AS x'), b, c));
    for (const name of ['s.a', 's.b', 's.c']) {
      expect(after.get(name)?.version).not.toBe(before.get(name)?.version);
    }
  });

  it('keeps descendant versions when a root changes only metadata', () => {
    const before = fingerprintModels(project(a, b, c));
    const after = fingerprintModels(project({ ...a, owner: 'someone' }, b, c));
    expect(after.get('s.c')?.version).toBe(before.get('s.c')?.version);
    expect(after.get('s.c')?.identifier).not.toBe(before.get('s.c')?.identifier);
  });

  it('ignores parents that are not models of the project', () => {
    const alone = fingerprintModels(project(fullModel('s.x', 'SELECT 1', ['raw.outside'])));
    expect(alone.get('s.x')?.parentDataHash).toBe('0');
  });

  it('passes each seed its own content hash', () => {
    // Arrange
    const seed = makeModel({
      name: 's.seed',
      query: '',
      kind: {
        name: 'SEED',
        path: '/p/seeds/s.csv',
        relativePath: 'seeds/s.csv',
        csvSettings: { delimiter: ',', quotechar: '"', header: true },
        batchSize: 1000,
      },
    });
    const hashes = (csv: string) => new Map([['s.seed', hashSeedContent(csv)]]);
    // Act
    const v1 = fingerprintModels(project(seed), { seedContentHashes: hashes('a\n1\n') }).get('s.seed');
    const v2 = fingerprintModels(project(seed), { seedContentHashes: hashes('a\n2\n') }).get('s.seed');
    // Assert
    expect(v1?.version).not.toBe(v2?.version);
  });

  it('reports a dependency cycle with its path', () => {
    const x = fullModel('s.x', 'SELECT * FROM s.y', ['s.y']);
    const y = fullModel('s.y', 'SELECT * FROM s.x', ['s.x']);
    expect(() => fingerprintModels(project(x, y))).toThrowErrorMatchingInlineSnapshot(
      `"models/orders.sql:1: dependency cycle: s.x -> s.y -> s.x"`,
    );
  });
});
