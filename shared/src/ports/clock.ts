/** The only way core code learns the time. Handlers and the CLI pass a real or fixed clock in. */
export interface Clock {
  /** Current instant, epoch milliseconds (UTC). */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that always says the same instant; used for `--execution-time` and in tests. */
export function fixedClock(ms: number): Clock {
  return { nowMs: () => ms };
}
