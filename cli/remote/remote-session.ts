import { ApiClient, type ApiClientOptions } from '../../functions/adapters/api-client';

/** Options every remote command takes (`--api`, `--project`, `--json`). */
export interface RemoteOptions {
  /** Base URL of the API: `meshcron dev`'s or a deployed one. */
  readonly api: string;
  readonly project: string;
  readonly json?: boolean;
}

/** Seams of the remote commands (tests capture output and poll fast). */
export interface RemoteIo {
  /** Where output lines go (default stdout). */
  readonly print?: (line: string) => void;
  /** Pause between polls of a job (default 0.5 s locally, 2 s for a deployed API). */
  readonly pollEveryMs?: number;
  readonly clientOptions?: ApiClientOptions;
}

/** What a remote command works with. */
export interface RemoteSession {
  readonly client: ApiClient;
  readonly print: (line: string) => void;
  readonly pollEveryMs: number;
}

const LOCAL_POLL_MS = 500;
/** API Gateway throttles the API at 20 requests/s; a watcher polls two routes every 2 s, far below. */
const DEPLOYED_POLL_MS = 2_000;

export function openRemoteSession(options: RemoteOptions, io: RemoteIo = {}): RemoteSession {
  const client = new ApiClient(options.api, io.clientOptions);
  return {
    client,
    print: io.print ?? ((line) => process.stdout.write(`${line}\n`)),
    pollEveryMs: io.pollEveryMs ?? (client.signed ? DEPLOYED_POLL_MS : LOCAL_POLL_MS),
  };
}
