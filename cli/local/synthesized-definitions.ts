import { createMeshcronApp } from '../../infra/meshcron-app';
import { renderDefinition } from '../../infra/state-machines/render-definition';

/**
 * The run-job and plan state-machine definitions exactly as `cdk synth` produces them for the deployed
 * stack (bundling skipped: the local stack binds tasks to the handler functions, not to code assets).
 */
export function synthesizedDefinitions(maxConcurrency: number): { run: string; plan: string } {
  const { stack } = createMeshcronApp({
    nag: false,
    context: { 'aws:cdk:bundling-stacks': [], maxConcurrency },
  });
  return {
    run: renderDefinition(stack, stack.orchestration.runJob),
    plan: renderDefinition(stack, stack.orchestration.planApplication),
  };
}
