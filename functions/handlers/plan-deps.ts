import { tmpdir } from 'node:os';
import path from 'node:path';
import { SchedulerError } from '../../shared/src/errors';
import type { PlanJobDeps } from '../../shared/src/plan/plan-job';
import { FolderWorkspace } from '../adapters/folder-workspace';
import type { HandlerRuntime } from './runtime';

/** Where bundles are laid out on this machine (Lambda's /tmp, or the OS temp folder locally). */
const WORKSPACE_BASE = path.join(tmpdir(), 'meshcron-bundles');

/**
 * The plan-job dependencies of a runtime: its job dependencies plus the bundle store, and seeds read through
 * the workspace, so a worker on another machine lays the bundle out again before reading a seed.
 */
export function planJobDeps(runtime: HandlerRuntime): PlanJobDeps {
  const bundles = runtime.bundles;
  if (!bundles) throw new SchedulerError('this deployment has no project bundle store, so it cannot apply plans');
  const workspace = new FolderWorkspace(WORKSPACE_BASE, bundles);
  return { ...runtime.jobDeps, bundles, workspace, readSeedFile: (file) => workspace.readFile(file) };
}
