import { performance } from 'node:perf_hooks';

/** Calls of one method: how many, their summed duration, and how many answered `false` (lost claims). */
export interface MethodTiming {
  calls: number;
  ms: number;
  falseAnswers: number;
}

/**
 * Wraps every method of `target` so each call's duration is added to `into` under `<prefix><method>`.
 * Durations of overlapping calls are summed, so the totals are time spent by callers, not wall time.
 */
export function timeMethods<T extends object>(target: T, prefix: string, into: Map<string, MethodTiming>): T {
  return new Proxy(target, {
    get(obj, property, receiver) {
      const value: unknown = Reflect.get(obj, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const key = `${prefix}${property}`;
      return async (...args: unknown[]) => {
        const started = performance.now();
        let answer: unknown;
        try {
          answer = await value.apply(obj, args);
          return answer;
        } finally {
          const t = into.get(key) ?? { calls: 0, ms: 0, falseAnswers: 0 };
          t.calls += 1;
          t.ms += performance.now() - started;
          if (answer === false) t.falseAnswers += 1;
          into.set(key, t);
        }
      };
    },
  });
}
