import { SchedulerError } from '../../shared/src/errors';
import { environmentViewSchema, readAnswer } from '../remote/api-views';
import { defaultEnvironmentOf } from '../remote/default-environment';
import { environmentStatusLines } from '../remote/remote-format';
import { openRemoteSession, type RemoteIo, type RemoteOptions } from '../remote/remote-session';

export interface RemoteStatusOptions extends RemoteOptions {
  readonly executionTime?: string;
}

/** `meshcron --api <url> status [env]`: each model's processed range, what is behind and its next run. */
export async function remoteStatusCommand(environmentArg: string | undefined, options: RemoteStatusOptions, io: RemoteIo = {}): Promise<number> {
  if (options.executionTime !== undefined) {
    throw new SchedulerError('--execution-time is not available with --api: the API reports status as of its own clock');
  }
  const session = openRemoteSession(options, io);
  const path = `/environments/${encodeURIComponent(environmentArg ?? (await defaultEnvironmentOf(options.project)))}`;
  const view = readAnswer(environmentViewSchema, await session.client.get(path), `GET ${path}`);
  if (options.json) {
    session.print(JSON.stringify({ environment: view.name, asOf: view.asOf, models: view.models }, null, 2));
    return 0;
  }
  for (const line of environmentStatusLines(view)) session.print(line);
  return 0;
}
