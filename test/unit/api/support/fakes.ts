import { NotFoundError } from '../../../../shared/src/errors';
import type { BundleStore, ProjectFiles } from '../../../../shared/src/ports/bundle-store';
import type { JobLauncher } from '../../../../shared/src/ports/job-launcher';

/** One `JobLauncher.start` call. */
export interface LaunchCall {
  readonly machine: 'run' | 'plan';
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * A JobLauncher that records every call and, like Step Functions, answers `exists` for a name it has
 * started before. `failNext` makes the next call throw (an SDK outage).
 */
export class RecordingLauncher implements JobLauncher {
  readonly calls: LaunchCall[] = [];
  private failure: Error | undefined;

  failNext(error: Error): void {
    this.failure = error;
  }

  async start(machine: 'run' | 'plan', name: string, input: Readonly<Record<string, unknown>>): Promise<'started' | 'exists'> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    const seen = this.calls.some((c) => c.name === name);
    this.calls.push({ machine, name, input: structuredClone(input) });
    return seen ? 'exists' : 'started';
  }
}

/** A BundleStore in a Map (copies in and out, as a real store would). */
export class MemoryBundleStore implements BundleStore {
  readonly bundles = new Map<string, ProjectFiles>();

  async put(planId: string, files: ProjectFiles): Promise<void> {
    this.bundles.set(planId, structuredClone(files));
  }

  async get(planId: string): Promise<ProjectFiles> {
    const files = this.bundles.get(planId);
    if (!files) throw new NotFoundError(`no bundle for plan '${planId}'`);
    return structuredClone(files);
  }
}
