import type { StateStore } from '../../shared/src/ports/state-store';
import { BusyTimer } from './measure';

/**
 * Wraps a {@link StateStore} so every call is counted and timed (overlapping calls counted once), to show
 * how much of a plan or run is spent waiting for state.
 */
export function timeStateStore(inner: StateStore): { readonly store: StateStore; readonly timer: BusyTimer } {
  const timer = new BusyTimer();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => timer.around(() => Promise.resolve(value.apply(target, args)));
    },
  });
  return { store, timer };
}
