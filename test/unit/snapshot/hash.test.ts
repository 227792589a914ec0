import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { crc32, hashData } from '../../../shared/src/snapshot/hash';
import { encodeUtf8 } from '../../../shared/src/snapshot/utf8';

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(encodeUtf8('123456789'))).toBe(0xcbf43926);
  });

  it('is 0 for no bytes', () => {
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("agrees with node's zlib.crc32 on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(crc32(encodeUtf8(text))).toBe(zlib.crc32(Buffer.from(text, 'utf8')));
      }),
    );
  });
});

describe('encodeUtf8', () => {
  it("matches node's UTF-8 encoding, including astral characters and lone surrogates", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(Buffer.from(encodeUtf8(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
    );
    expect(Array.from(encodeUtf8('\ud800x'))).toEqual([0xef, 0xbf, 0xbd, 0x78]);
  });
});

describe('hashData', () => {
  it.each([
    { items: ['1', '1'], expected: '3078928823' },
    { items: ['2', '1'], expected: '3049392110' },
    { items: [], expected: '0' },
  ])('hashes $items to $expected (SQLMesh test values)', ({ items, expected }) => {
    expect(hashData(items)).toBe(expected);
  });

  it('joins with ";" and writes null and undefined as empty strings', () => {
    // Arrange
    const expected = String(zlib.crc32(Buffer.from('a;;b;', 'utf8')));
    // Act
    const actual = hashData(['a', null, 'b', undefined]);
    // Assert
    expect(actual).toBe(expected);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    expect(hashData(['café', '😀'])).toBe(String(zlib.crc32(Buffer.from('café;😀', 'utf8'))));
  });
});
