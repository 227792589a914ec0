import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { md5Hex } from '../../../shared/src/snapshot/md5';

describe('md5Hex', () => {
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ])('matches the RFC 1321 test suite for %j', (input, expected) => {
    expect(md5Hex(input)).toBe(expected);
  });

  it.each([55, 56, 63, 64, 65, 119, 120, 1000])('pads a %i-byte message correctly', (length) => {
    const text = 'x'.repeat(length);
    expect(md5Hex(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
  });

  it("agrees with node's crypto md5 on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(md5Hex(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
      }),
    );
  });
});
