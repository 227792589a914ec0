import type { ProjectFiles } from './bundle-store';

/**
 * Where a plan's project bundle is laid out as files so it can be loaded like any project folder. Lambda
 * invocations do not share disks, so any worker can lay the same bundle out again from the bundle store.
 */
export interface ProjectWorkspace {
  /** Writes the files under a folder for `planId` (idempotent) and returns its absolute path. */
  materialize(planId: string, files: ProjectFiles): Promise<string>;
  /** Reads a file of a materialized bundle, laying the bundle out again first if this machine lacks it. */
  readFile(absolutePath: string): Promise<string>;
}
