import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FolderBundleStore } from '../../functions/adapters/folder-bundle-store';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { handler as apiHandler } from '../../functions/handlers/api.handler';
import { injectRuntime } from '../../functions/handlers/runtime';
import { handler as tickHandler } from '../../functions/handlers/tick.handler';
import { SchedulerError, toError } from '../../shared/src/errors';
import { type Clock, systemClock } from '../../shared/src/ports/clock';
import type { BatchRecord } from '../../shared/src/ports/state-store';
import type { RunReporter } from '../../shared/src/run/run-reporter';
import type { TickResult } from '../../shared/src/run/tick';
import { loadProjectAt } from '../commands/context';
import { formatBatchLine } from '../console-reporter';
import { LOCAL_STATE_FOLDER } from '../local-stack';
import {
  DEV_BUNDLES_FOLDER,
  DEV_DEFAULT_MAX_CONCURRENCY,
  DEV_DEFAULT_PORT,
  DEV_DEFAULT_TICK_EVERY_SECONDS,
  DEV_HOST,
  DEV_WAIT_STATE_MS,
} from './constants';
import { openDevResources } from './dev-resources';
import { createDevServer } from './dev-server';
import { devMachines } from './dev-machines';
import { type FinishedJob, TrackedJobLauncher } from './job-tracker';
import { localLambdaContext } from './lambda-context';

/** Options of {@link startDevStack}. */
export interface DevStackOptions {
  /** The project folder (its `.meshcron/` holds state, bundles and the default DuckDB file). */
  readonly project: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 8787. */
  readonly port?: number;
  /** Seconds between scheduler ticks (default 60). */
  readonly tickEverySeconds?: number;
  /** false: tick only on `POST /_dev/tick`. */
  readonly tick?: boolean;
  readonly gateway?: string;
  /** What the handlers take as now (tests pin it); default the system clock. */
  readonly clock?: Clock;
  /** Workers per job (default 4). */
  readonly maxConcurrency?: number;
  /** Where progress lines go (default stdout). */
  readonly log?: (line: string) => void;
  /** Called as each job ends, after its outcome is logged. */
  readonly onJobFinished?: (job: FinishedJob) => void;
}

/** A running dev stack. */
export interface DevStack {
  /** `http://127.0.0.1:<port>`: the API's base URL (`meshcron --api <url> …`). */
  readonly url: string;
  readonly root: string;
  readonly warehouseLocation: string;
  readonly stateLocation: string;
  /** Endpoint of the DynamoDB (Local) holding the state. */
  readonly stateEndpoint: string;
  /** One scheduler tick through the tick handler, at `time` (ISO instant) or now. */
  tick(time?: string): Promise<{ results: TickResult[] }>;
  /** Names of the jobs still running. */
  runningJobs(): string[];
  /** Resolves once no job is running. */
  idle(): Promise<void>;
  /**
   * Stops ticking and serving, waits for running jobs (unless `waitForJobs: false`), then closes the
   * warehouse and stops DynamoDB Local. Safe to call more than once.
   */
  stop(options?: { readonly waitForJobs?: boolean }): Promise<void>;
}

/** The handlers' runtime is process-wide (injectRuntime), so one process runs at most one dev stack. */
let active = false;

/** Prints each batch as a worker finishes it, in the CLI's batch-line format. */
function lineReporter(log: (line: string) => void): RunReporter {
  return {
    started: () => undefined,
    batchStarted: () => undefined,
    batchFinished: (record: BatchRecord) => log(formatBatchLine(record)),
    note: (message) => log(`  ${message}`),
    finished: () => undefined,
  };
}

/**
 * Starts the whole Meshcron stack on this machine: DynamoDB Local and the project's warehouse, the
 * deployed run and plan state machines executed in-process with the real Lambda handlers, the HTTP API on
 * 127.0.0.1, and a scheduler tick every `tickEverySeconds`.
 *
 * @example
 * const dev = await startDevStack({ project: 'examples/quickstart', port: 0, tick: false });
 * await fetch(`${dev.url}/environments`);
 * await dev.stop();
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  if (active) throw new SchedulerError('a dev stack is already running in this process; stop it first');
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = options.clock ?? systemClock;
  const maxConcurrency = options.maxConcurrency ?? DEV_DEFAULT_MAX_CONCURRENCY;
  const project = await loadProjectAt(options.project);
  const root = project.root;
  active = true;

  let resources: Awaited<ReturnType<typeof openDevResources>> | undefined;
  try {
    resources = await openDevResources(root, project.config, options.gateway);
    const launcher = new TrackedJobLauncher(
      new LocalJobLauncher(devMachines(maxConcurrency), DEV_WAIT_STATE_MS),
      resources.state,
      log,
      options.onJobFinished,
    );
    injectRuntime({
      jobDeps: {
        state: resources.state,
        jobs: resources.jobs,
        warehouse: resources.warehouse,
        sqlParser: resources.sqlParser,
        clock,
        reporter: lineReporter(log),
        readSeedFile: (file) => readFile(file, 'utf8'),
      },
      launcher,
      maxConcurrency,
      // Workers hand back at once and the Wait state paces them (DEV_WAIT_STATE_MS).
      workerPollMs: 0,
      bundles: new FolderBundleStore(path.join(root, LOCAL_STATE_FOLDER, DEV_BUNDLES_FOLDER)),
    });
    const tick = async (time?: string) => tickHandler(time === undefined ? {} : { time }, localLambdaContext('meshcron-tick'));

    const server = createDevServer({
      api: apiHandler,
      tick: async (time) => {
        const answer = await tick(time);
        const summary = answer.results.map((r) => `${r.environment}: ${r.outcome}${r.runId ? ` ${r.runId}` : ''}`).join(', ');
        log(`tick${time ? ` at ${time}` : ''}: ${summary || 'no environments'}`);
        return answer;
      },
      log,
    });
    await listen(server, options.port ?? DEV_DEFAULT_PORT);
    const port = (server.address() as AddressInfo).port;

    let ticker: NodeJS.Timeout | undefined;
    if (options.tick !== false) {
      let ticking = false;
      ticker = setInterval(() => {
        // A slow tick (many environments) is not stacked on by the next one.
        if (ticking) return;
        ticking = true;
        tick()
          .catch((error: unknown) => log(`tick failed: ${toError(error).message}`))
          .finally(() => {
            ticking = false;
          });
      }, (options.tickEverySeconds ?? DEV_DEFAULT_TICK_EVERY_SECONDS) * 1000);
    }

    const opened = resources;
    let stopping: Promise<void> | undefined;
    const stop = async (stopOptions: { readonly waitForJobs?: boolean } = {}): Promise<void> => {
      if (ticker) clearInterval(ticker);
      stopping ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        if (stopOptions.waitForJobs !== false) await launcher.idle();
        injectRuntime(undefined);
        await opened.close();
        active = false;
      })();
      return stopping;
    };

    return {
      url: `http://${DEV_HOST}:${port}`,
      root,
      warehouseLocation: opened.warehouseLocation,
      stateLocation: opened.stateLocation,
      stateEndpoint: opened.stateEndpoint,
      tick,
      runningJobs: () => launcher.running(),
      idle: () => launcher.idle(),
      stop,
    };
  } catch (error) {
    injectRuntime(undefined);
    await resources?.close().catch(() => undefined);
    active = false;
    throw error;
  }
}

async function listen(server: ReturnType<typeof createDevServer>, port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new SchedulerError(`port ${port} on ${DEV_HOST} is already in use; pass --port <n> (0 picks a free one)`, { cause: error })
          : error,
      );
    });
    server.listen(port, DEV_HOST, () => done());
  });
}
