import { spawn } from 'node:child_process';
import path from 'node:path';

/** The `meshcron` command as a user runs it (bin/meshcron in a child process), for the connection CLI tests. */

const REPO = path.resolve(__dirname, '../../../..');
const BIN = path.join(REPO, 'bin/meshcron');
/** A command that starts DynamoDB Local may need a while on a loaded machine. */
export const COMMAND_TIMEOUT_MS = 90_000;

/** What a finished command left. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `meshcron args…` with `stdin` piped in (closed at once when omitted) and its own DynamoDB Local. */
export function meshcron(args: readonly string[], stdin?: string | Buffer): Promise<CliResult> {
  const env = { ...process.env };
  // The CLI must start its own DynamoDB Local, not reuse one from the environment.
  delete env.MESHCRON_DYNAMODB_ENDPOINT;
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // The CLI may stop reading early (input over the cap); that is not the test's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGTERM'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
