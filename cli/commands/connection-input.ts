import { open } from 'node:fs/promises';
import { ConnectionInputError } from '../../shared/src/connections/connection-errors';
import { MAX_CONNECTION_YAML_BYTES } from '../../shared/src/connections/constants';
import { toError } from '../../shared/src/errors';

/** The `--file` value that means "read standard input". */
export const STDIN_FILE = '-';
/** What the input is called in errors. */
const FIELD = '--file';

/**
 * Reads the connection YAML of `connection add --file`: a file, or standard input for `-`. Reads at most
 * MAX_CONNECTION_YAML_BYTES + 1 bytes, so a huge file or an endless pipe is refused without being held in
 * memory, and refuses text that is not UTF-8.
 *
 * @throws ConnectionInputError naming `--file`.
 */
export async function readConnectionInput(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const bytes = file === STDIN_FILE ? await readCapped(stdin, 'standard input') : await readFileCapped(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ConnectionInputError(FIELD, `${describe(file)} is not UTF-8 text`, { cause: e });
  }
}

async function readFileCapped(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : toError(e).message;
    throw new ConnectionInputError(FIELD, `cannot read '${file}': ${why}`, { cause: e });
  }
  try {
    if (!(await handle.stat()).isFile()) throw new ConnectionInputError(FIELD, `'${file}' is not a file`);
    return await readCapped(handle.createReadStream({ autoClose: false }), `'${file}'`);
  } finally {
    await handle.close();
  }
}

async function readCapped(stream: NodeJS.ReadableStream, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += buffer.length;
    if (total > MAX_CONNECTION_YAML_BYTES) {
      throw new ConnectionInputError(FIELD, `${what} is larger than ${MAX_CONNECTION_YAML_BYTES} bytes; a connection is a few lines of YAML`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function describe(file: string): string {
  return file === STDIN_FILE ? 'standard input' : `'${file}'`;
}
