import * as fs from 'node:fs';
import { SCHEDULE_VECTOR_RUNNERS } from './schedule-vector-runners';
import {
  LOCAL_VECTORS_PATH,
  loadVectors,
  NAMING_VECTOR_FNS,
  SCHEDULE_VECTOR_FNS,
  SHARED_VECTORS_PATH,
} from './vectors';

const vectors = loadVectors();
const naming = new Set<string>(NAMING_VECTOR_FNS);
const mine = vectors.filter((v) => !naming.has(v.fn));

describe('conformance vectors: time, cron, intervals, batching', () => {
  it('reads the shared vectors file when present, else the committed copy, and both are identical', () => {
    // Arrange
    const local = fs.readFileSync(LOCAL_VECTORS_PATH, 'utf8');
    // Act
    const shared = fs.existsSync(SHARED_VECTORS_PATH) ? fs.readFileSync(SHARED_VECTORS_PATH, 'utf8') : local;
    // Assert
    expect(shared).toBe(local);
    expect(loadVectors(LOCAL_VECTORS_PATH).length).toBe(vectors.length);
  });

  it('has a runner for every schedule fn and every fn of the file belongs to a runner set', () => {
    expect(Object.keys(SCHEDULE_VECTOR_RUNNERS).sort()).toEqual([...SCHEDULE_VECTOR_FNS].sort());
    expect(mine.length).toBeGreaterThan(0);
  });

  it.each(mine.map((v) => [v.id, v.fn, v] as const))('%s %s', (_id, fn, vector) => {
    const run = SCHEDULE_VECTOR_RUNNERS[fn];
    if (!run) throw new Error(`vector ${vector.id}: unknown fn '${fn}' (${vector.source_test})`);
    run(vector.inputs, vector.expected);
  });
});
