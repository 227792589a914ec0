import { encodeUtf8 } from './utf8';

/** Per-round left-rotation amounts of RFC 1321, four per round, each used for 16 steps. */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21] as const;

/** The additive constants: floor(|sin(i + 1)| * 2^32), exactly as RFC 1321 derives them. */
const SINES: Uint32Array = Uint32Array.from({ length: 64 }, (_, i) =>
  Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000),
);

function rotateLeft(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/**
 * MD5 of a string's UTF-8 bytes, as 32 lower-case hex digits. Only used to shorten physical table names
 * (the `hash_md5` naming convention), never for security. Written out because `shared/` may not import
 * node's `crypto`.
 *
 * @example md5Hex('') // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function md5Hex(text: string): string {
  const message = encodeUtf8(text);
  // Pad with 0x80, zeros up to 56 mod 64, then the bit length as a 64-bit little-endian integer.
  const paddedLength = (((message.length + 8) >>> 6) + 1) << 6;
  const bytes = new Uint8Array(paddedLength);
  bytes.set(message);
  bytes[message.length] = 0x80;
  const bitLength = message.length * 8;
  const view = new DataView(bytes.buffer);
  view.setUint32(paddedLength - 8, bitLength >>> 0, true);
  view.setUint32(paddedLength - 4, Math.floor(bitLength / 0x100000000), true);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const words = new Uint32Array(16);

  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let j = 0; j < 16; j++) words[j] = view.getUint32(offset + j * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      const round = i >>> 4;
      let f: number;
      let g: number;
      if (round === 0) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (round === 1) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (round === 2) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      // Indices are in range by construction (i < 64, g < 16, shift index < 16).
      const sum = (a + f + (SINES[i] as number) + (words[g] as number)) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotateLeft(sum, SHIFTS[(round << 2) | (i & 3)] as number)) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }

  const digest = new DataView(new ArrayBuffer(16));
  [a0, b0, c0, d0].forEach((word, i) => digest.setUint32(i * 4, word >>> 0, true));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += digest.getUint8(i).toString(16).padStart(2, '0');
  return hex;
}
