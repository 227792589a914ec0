import { Command, InvalidArgumentError, Option } from 'commander';
import { SchedulerError, toError } from '../shared/src/errors';
import { planCommand } from './commands/plan';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

const program = new Command()
  .name('meshcron')
  .description('Run SQLMesh-format projects on their crons: plan, run and watch, locally or on AWS.')
  .option('-p, --project <dir>', 'project folder', process.cwd())
  .option('--gateway <name>', 'gateway from config.yaml (default: the default gateway)')
  .option('--json', 'print machine-readable JSON instead of text')
  .showHelpAfterError();

const executionTime = new Option('--execution-time <instant>', 'pretend it is this UTC instant, e.g. 2026-11-08T06:00:00Z');
const concurrency = new Option('-c, --concurrency <n>', 'batches that may run at once').argParser(positiveInt).default(4);

program
  .command('plan [environment]')
  .description('show changes and backfill against an environment, ask, then apply')
  .option('--auto-apply', 'apply without asking (scripts and CI)')
  .addOption(executionTime)
  .addOption(concurrency)
  .action(async (env: string | undefined, opts) => finish(planCommand(env, { ...program.opts(), ...opts })));

program
  .command('run [environment]')
  .description('process every model whose cron is due and that has missing intervals')
  .option('--watch', 'keep running, waking at the next cron tick')
  .option('--ignore-cron', 'process complete intervals even if the cron has not fired yet')
  .addOption(executionTime)
  .addOption(concurrency)
  .action(async (env: string | undefined, opts) => finish(runCommand(env, { ...program.opts(), ...opts })));

program
  .command('status [environment]')
  .description("each model's processed range, what is behind, and its next run")
  .addOption(executionTime)
  .action(async (env: string | undefined, opts) => finish(statusCommand(env, { ...program.opts(), ...opts })));

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
