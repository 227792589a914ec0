import { Command, InvalidArgumentError, Option } from 'commander';
import { SchedulerError, toError } from '../shared/src/errors';
import { registerConnectionCommands } from './commands/connection';
import { devCommand } from './commands/dev';
import { pauseCommand, pausesCommand, resumeCommand } from './commands/pause';
import { planCommand } from './commands/plan';
import { remotePlanCommand } from './commands/remote-plan';
import { remoteRunCommand } from './commands/remote-run';
import { remoteStatusCommand } from './commands/remote-status';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { DEV_DEFAULT_PORT, DEV_DEFAULT_TICK_EVERY_SECONDS } from './dev/constants';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return n;
}

const program = new Command()
  .name('meshcron')
  .description('Run SQLMesh-format projects on their crons: plan, run and watch, locally or on AWS.')
  .option('-p, --project <dir>', 'project folder', process.cwd())
  .option('--gateway <name>', 'gateway from config.yaml (default: the default gateway)')
  .option('--json', 'print machine-readable JSON instead of text')
  .addOption(
    new Option('--api <url>', 'send plan, run and status to this Meshcron API (meshcron dev or a deployed one) instead of running them here').env(
      'MESHCRON_API_URL',
    ),
  )
  .showHelpAfterError();

/** With --api (or MESHCRON_API_URL) a command goes to the API; otherwise it runs on the embedded stack. */
function apiUrl(): string | undefined {
  return (program.opts() as { api?: string }).api;
}

const executionTime = new Option('--execution-time <instant>', 'pretend it is this UTC instant, e.g. 2026-11-08T06:00:00Z');
const concurrency = new Option('-c, --concurrency <n>', 'batches that may run at once').argParser(positiveInt).default(4);

program
  .command('plan [environment]')
  .description('show changes and backfill against an environment, ask, then apply')
  .option('--auto-apply', 'apply without asking (scripts and CI)')
  .addOption(executionTime)
  .addOption(concurrency)
  .action(async (env: string | undefined, opts) => {
    const api = apiUrl();
    return finish(api ? remotePlanCommand(env, { ...program.opts(), ...opts, api }) : planCommand(env, { ...program.opts(), ...opts }));
  });

program
  .command('run [environment]')
  .description('process every model whose cron is due and that has missing intervals')
  .option('--watch', 'keep running, waking at the next cron tick')
  .option('--ignore-cron', 'process complete intervals even if the cron has not fired yet')
  .addOption(executionTime)
  .addOption(concurrency)
  .action(async (env: string | undefined, opts) => {
    const api = apiUrl();
    return finish(api ? remoteRunCommand(env, { ...program.opts(), ...opts, api }) : runCommand(env, { ...program.opts(), ...opts }));
  });

program
  .command('status [environment]')
  .description("each model's processed range, what is behind, and its next run")
  .addOption(executionTime)
  .action(async (env: string | undefined, opts) => {
    const api = apiUrl();
    return finish(api ? remoteStatusCommand(env, { ...program.opts(), ...opts, api }) : statusCommand(env, { ...program.opts(), ...opts }));
  });

/** Pauses are managed on the local stack; through an API they are its /environments/{env}/pauses routes. */
function localOnly(command: string): void {
  if (apiUrl()) throw new SchedulerError(`${command} with --api is not supported yet; use the API's /environments/{env}/pauses routes`);
}

program
  .command('pause [environment]')
  .description('pause an environment, or one model and everything downstream of it: runs skip them')
  .option('--model <name>', 'pause this model and its downstream instead of the whole environment')
  .option('--reason <text>', 'why, shown with the skipped batches and in status')
  .action(async (env: string | undefined, opts) => finish(Promise.resolve().then(() => localOnly('pause')).then(() => pauseCommand(env, { ...program.opts(), ...opts }))));

program
  .command('resume [environment]')
  .description('remove a pause; the next run catches up the missed intervals')
  .option('--model <name>', 'resume the pause of this model instead of the environment pause')
  .option('--preview', 'only list the batches resuming would run now')
  .addOption(executionTime)
  .action(async (env: string | undefined, opts) => finish(Promise.resolve().then(() => localOnly('resume')).then(() => resumeCommand(env, { ...program.opts(), ...opts }))));

program
  .command('pauses [environment]')
  .description("list an environment's pauses")
  .action(async (env: string | undefined) => finish(Promise.resolve().then(() => localOnly('pauses')).then(() => pausesCommand(env, program.opts()))));

program
  .command('dev')
  .description('run the whole stack here: DynamoDB Local, the warehouse, the state machines and the HTTP API on 127.0.0.1')
  .addOption(new Option('--port <n>', 'port of the API on 127.0.0.1 (0 picks a free one)').argParser(port).default(DEV_DEFAULT_PORT))
  .addOption(
    new Option('--tick-every <seconds>', 'seconds between scheduler ticks').argParser(positiveInt).default(DEV_DEFAULT_TICK_EVERY_SECONDS),
  )
  .option('--no-tick', 'do not tick on a timer (POST /_dev/tick still ticks)')
  .action(async (opts) => finish(devCommand({ ...program.opts(), ...opts })));

registerConnectionCommands(program, finish);

/** Known errors print their message alone (it already says what and where); anything else keeps its stack. */
async function finish(result: Promise<number>): Promise<void> {
  try {
    process.exitCode = await result;
  } catch (thrown) {
    const error = toError(thrown);
    process.stderr.write(error instanceof SchedulerError ? `error: ${error.message}\n` : `error: ${error.stack ?? error.message}\n`);
    process.exitCode = error instanceof SchedulerError ? 2 : 1;
  }
}

void program.parseAsync(process.argv);
