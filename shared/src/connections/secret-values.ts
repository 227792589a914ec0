import type { ConnectionFields } from '../ports/connection-store';
import { MIN_MASKED_SECRET_CHARS, SECRET_CONNECTION_FIELDS, SECRET_MASK } from './constants';

/**
 * Every string held by a secret field of `connection` (see SECRET_CONNECTION_FIELDS), nested ones included,
 * so messages from drivers can be masked before anyone sees them.
 */
export function secretValuesOf(connection: ConnectionFields): string[] {
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  for (const field of SECRET_CONNECTION_FIELDS) collect(connection[field]);
  return out.filter((s) => s.length >= MIN_MASKED_SECRET_CHARS);
}

/**
 * Replaces every occurrence of each secret in `text` with `***`. Longer secrets go first, so a secret that
 * contains another is masked whole.
 *
 * @example
 * maskSecrets('login as bob:hunter22 failed', ['hunter22']); // 'login as bob:*** failed'
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_MASKED_SECRET_CHARS) out = out.split(secret).join(SECRET_MASK);
  }
  return out;
}
