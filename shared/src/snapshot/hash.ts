import { encodeUtf8 } from './utf8';

/** The reflected CRC-32 polynomial of zlib, PNG and Python's `zlib.crc32`. */
const CRC32_POLYNOMIAL = 0xedb88320;

const CRC32_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? CRC32_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (zlib flavour) of some bytes, as an unsigned 32-bit integer.
 *
 * @example crc32(encodeUtf8('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    // The table has 256 entries and the index is masked to 8 bits, so the lookup always hits.
    crc = (CRC32_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * SQLMesh's `hash_data`: the decimal string of the CRC-32 of the UTF-8 of the items joined by `;`, with
 * null and undefined items written as empty strings. Every fingerprint and version is built from it, so
 * its output must stay byte-for-byte stable across releases.
 *
 * @example hashData(['1', '1']) // '3078928823'
 */
export function hashData(items: readonly (string | undefined | null)[]): string {
  return String(crc32(encodeUtf8(items.map((item) => item ?? '').join(';'))));
}
