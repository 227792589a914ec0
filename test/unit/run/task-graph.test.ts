import { runTaskGraph, type GraphTask } from '../../../shared/src/run/task-graph';

/** A controllable task: resolves or rejects when the test says so, recording start order. */
function deferredTask(id: string, dependsOn: string[], log: string[], fail = false, delayMs = 0): GraphTask<string> {
  return {
    id,
    dependsOn,
    run: async () => {
      log.push(`start:${id}`);
      await new Promise((r) => setTimeout(r, delayMs));
      log.push(`end:${id}`);
      if (fail) throw new Error(`${id} broke`);
      return id;
    },
  };
}

describe('runTaskGraph', () => {
  it('starts a task only after all of its dependencies succeeded', async () => {
    // Arrange
    const log: string[] = [];
    const tasks = [deferredTask('a', [], log, false, 5), deferredTask('b', [], log, false, 1), deferredTask('c', ['a', 'b'], log)];
    // Act
    const outcomes = await runTaskGraph(tasks, { concurrency: 4 });
    // Assert
    expect(log.indexOf('start:c')).toBeGreaterThan(log.indexOf('end:a'));
    expect(log.indexOf('start:c')).toBeGreaterThan(log.indexOf('end:b'));
    expect([...outcomes.values()].every((o) => o.status === 'succeeded')).toBe(true);
  });

  it('never holds back tasks that do not depend on a slow one (no wave barrier)', async () => {
    const log: string[] = [];
    const tasks = [
      deferredTask('slow', [], log, false, 60),
      deferredTask('fast1', [], log, false, 1),
      deferredTask('fast2', ['fast1'], log, false, 1),
      deferredTask('fast3', ['fast2'], log, false, 1),
      deferredTask('afterSlow', ['slow'], log),
    ];
    await runTaskGraph(tasks, { concurrency: 2 });
    expect(log.indexOf('end:fast3')).toBeLessThan(log.indexOf('end:slow'));
    expect(log.indexOf('start:afterSlow')).toBeGreaterThan(log.indexOf('end:slow'));
  });

  it('keeps at most `concurrency` tasks running', async () => {
    let running = 0;
    let peak = 0;
    const tasks: GraphTask<number>[] = Array.from({ length: 12 }, (_, i) => ({
      id: `t${i}`,
      dependsOn: [],
      run: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 3));
        running -= 1;
        return i;
      },
    }));
    await runTaskGraph(tasks, { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it('skips every transitive dependent of a failed task, naming the failed task, and runs the rest', async () => {
    const log: string[] = [];
    const tasks = [
      deferredTask('a', [], log, true),
      deferredTask('b', ['a'], log),
      deferredTask('c', ['b'], log),
      deferredTask('d', [], log),
    ];
    const outcomes = await runTaskGraph(tasks, { concurrency: 1 });
    expect(outcomes.get('a')?.status).toBe('failed');
    expect(outcomes.get('b')).toEqual({ status: 'skipped', upstream: 'a', upstreamStatus: 'failed' });
    expect(outcomes.get('c')).toEqual({ status: 'skipped', upstream: 'a', upstreamStatus: 'failed' });
    expect(outcomes.get('d')?.status).toBe('succeeded');
    expect(log).not.toContain('start:b');
  });

  it('rejects a cycle before running anything', async () => {
    const log: string[] = [];
    const tasks = [deferredTask('x', [], log), deferredTask('a', ['b'], log), deferredTask('b', ['a'], log)];
    await expect(runTaskGraph(tasks, { concurrency: 1 })).rejects.toThrow('task graph has a cycle through: a, b');
    expect(log).toEqual([]);
  });

  it('rejects an unknown dependency', async () => {
    await expect(runTaskGraph([deferredTask('a', ['nope'], [])], { concurrency: 1 })).rejects.toThrow(
      "task 'a' depends on unknown task 'nope'",
    );
  });
});
