import { DEV_TICK_PATH } from '../dev/constants';
import { startDevStack } from '../dev/dev-stack';
import type { GlobalOptions } from './context';

export interface DevCommandOptions extends GlobalOptions {
  readonly port: number;
  /** Seconds between ticks. */
  readonly tickEvery: number;
  /** false with `--no-tick`. */
  readonly tick: boolean;
}

/**
 * `meshcron dev`: the whole stack on this machine until Ctrl-C. A first Ctrl-C stops ticking and serving
 * and lets running jobs finish; a second one stops at once (DynamoDB Local is killed on the way out).
 */
export async function devCommand(options: DevCommandOptions): Promise<number> {
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  // Ctrl-C while starting: exit through process.exit, whose 'exit' hook kills a DynamoDB Local already
  // spawned (a signal's default action would leave its JVM, which has its own process group, running).
  const abortStart = (): void => process.exit(130);
  process.once('SIGINT', abortStart);
  process.once('SIGTERM', abortStart);
  let stack: Awaited<ReturnType<typeof startDevStack>>;
  try {
    stack = await startDevStack({
      project: options.project,
      port: options.port,
      tickEverySeconds: options.tickEvery,
      tick: options.tick,
      ...(options.gateway ? { gateway: options.gateway } : {}),
      log,
    });
  } finally {
    process.off('SIGINT', abortStart);
    process.off('SIGTERM', abortStart);
  }
  log(`Meshcron dev stack for ${stack.root}`);
  log(`  API        ${stack.url}   (e.g. npx meshcron --api ${stack.url} status)`);
  log(`  Warehouse  ${stack.warehouseLocation}`);
  log(`  State      ${stack.stateLocation}`);
  log(
    options.tick
      ? `  Ticks      every ${options.tickEvery} s; POST ${stack.url}${DEV_TICK_PATH} ticks now`
      : `  Ticks      off; POST ${stack.url}${DEV_TICK_PATH} ticks now`,
  );
  log('Ctrl-C to stop.');

  await new Promise<void>((done) => {
    let signals = 0;
    const onSignal = (): void => {
      signals += 1;
      if (signals > 1) {
        log('Stopping now.');
        // The 'exit' hook of DynamoDB Local kills its JVM; running jobs are abandoned mid-batch.
        process.exit(130);
      }
      const running = stack.runningJobs();
      log(running.length > 0 ? `Stopping after ${running.length} running job(s): ${running.join(', ')} (Ctrl-C again to stop now)…` : 'Stopping…');
      void stack.stop().then(done, (error: unknown) => {
        log(`error while stopping: ${String(error)}`);
        done();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log('Stopped.');
  return 0;
}
