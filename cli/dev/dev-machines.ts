import type { Context } from 'aws-lambda';
import type { LocalMachine, LocalTaskHandler } from '../../functions/adapters/local-job-launcher';
import { handler as executeBatches } from '../../functions/handlers/execute-batches.handler';
import { handler as finishRun } from '../../functions/handlers/finish-run.handler';
import { handler as preparePlan } from '../../functions/handlers/prepare-plan.handler';
import { handler as prepareRun } from '../../functions/handlers/prepare-run.handler';
import { handler as promotePlan } from '../../functions/handlers/promote-plan.handler';
import { PLAN_STATES, RUN_STATES, WORKER_STATES } from '../../infra/state-machines/names';
import { synthesizedDefinitions } from '../local/synthesized-definitions';
import { localLambdaContext } from './lambda-context';

/** A Lambda handler invoked like Lambda does: the payload and a fresh context per invocation. */
function asTask(functionName: string, handler: (event: unknown, context: Context) => Promise<unknown>): LocalTaskHandler {
  return (payload) => handler(payload, localLambdaContext(functionName));
}

/**
 * The deployed run-job and plan state machines (their CDK-synthesized definitions) with each Task state
 * bound, by state name, to the handler function Lambda runs for it.
 */
export function devMachines(maxConcurrency: number): Record<'run' | 'plan', LocalMachine> {
  const definitions = synthesizedDefinitions(maxConcurrency);
  const executeReady = asTask('meshcron-execute-batches', executeBatches);
  return {
    run: {
      definition: definitions.run,
      tasks: {
        [RUN_STATES.prepareRun]: asTask('meshcron-prepare-run', prepareRun),
        [WORKER_STATES.executeReady]: executeReady,
        [RUN_STATES.finishRun]: asTask('meshcron-finish-run', finishRun),
      },
    },
    plan: {
      definition: definitions.plan,
      tasks: {
        [PLAN_STATES.preparePlan]: asTask('meshcron-prepare-plan', preparePlan),
        [WORKER_STATES.executeReady]: executeReady,
        [PLAN_STATES.promotePlan]: asTask('meshcron-promote-plan', promotePlan),
      },
    },
  };
}
