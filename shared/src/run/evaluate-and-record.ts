import { evaluateBatch } from '../evaluate/evaluate-batch';
import type { EvaluationResult } from '../evaluate/evaluation-request';
import type { StateStore } from '../ports/state-store';
import type { Warehouse } from '../ports/warehouse';
import type { Interval } from '../schedule/interval';
import { buildEvaluationRequest, type RequestContext } from './build-evaluation-request';
import type { EnvironmentModel } from './environment-model';
import { recordableInterval } from './record-interval';

/**
 * Evaluates one batch and, only if it succeeded (blocking audits included), records its interval as processed.
 * `beforeRecord` lets a distributed worker check it still holds its lease first, so a stale worker never
 * records work it no longer owns.
 */
export async function evaluateAndRecord(
  env: EnvironmentModel,
  interval: Interval,
  tableMayNotExist: boolean,
  ctx: RequestContext & { readonly warehouse: Warehouse; readonly state: StateStore },
  beforeRecord?: () => Promise<void>,
): Promise<EvaluationResult> {
  const result = await evaluateBatch(ctx.warehouse, buildEvaluationRequest(env, interval, tableMayNotExist, ctx));
  const recordable = recordableInterval(env.stored.model, interval);
  if (recordable) {
    await beforeRecord?.();
    await ctx.state.addInterval({ name: env.snapshot.name, version: env.snapshot.version }, recordable);
  }
  return result;
}
