/** Placeholder entry so the CDK app can bundle the execute-batches function; the real handler replaces this file. */
export async function handler(): Promise<never> {
  throw new Error('not implemented');
}
