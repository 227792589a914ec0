import fc from 'fast-check';
import { describeConnection, summarizeConnection } from '../../../shared/src/connections/connection-summary';
import { maskSecrets, secretValuesOf } from '../../../shared/src/connections/secret-values';

describe('secretValuesOf', () => {
  it('collects the strings of every secret field, nested ones included, and nothing else', () => {
    // Arrange
    const connection = {
      type: 'duckdb',
      database: 'db.duckdb',
      token: 'md-token-1',
      secrets: [{ type: 's3', key_id: 'AKIA-ID', secret: 's3-secret-2' }],
      connector_config: { s3_secret_access_key: 'cfg-secret-3', threads: 4 },
    };
    // Act / Assert
    // The `type: s3` value is in a secret field too, but too short to mask (see below).
    expect(secretValuesOf(connection).sort()).toEqual(['AKIA-ID', 'cfg-secret-3', 'md-token-1', 's3-secret-2']);
  });

  it('leaves out values too short to mask safely', () => {
    expect(secretValuesOf({ type: 'postgres', password: 'abc' })).toEqual([]);
  });
});

describe('maskSecrets', () => {
  it('masks every occurrence, the longer secret first when one contains another', () => {
    expect(maskSecrets('pw=hunter22 again hunter22; short hunt', ['hunt', 'hunter22'])).toBe('pw=*** again ***; short ***');
  });

  it('never leaves a secret of four or more characters in the text (property)', () => {
    // Secrets without '*' so that the mask itself cannot combine with neighbours into a new occurrence.
    const secret = fc.string({ minLength: 4, maxLength: 24 }).filter((s) => !s.includes('*'));
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (pw, before, after) => {
        const masked = maskSecrets(`${before}${pw}${after}${pw}${before}`, [pw]);
        return !masked.includes(pw) && masked.includes('***');
      }),
    );
  });
});

describe('summarizeConnection', () => {
  it('keeps type, host, port and database only', () => {
    // Arrange
    const connection = { type: 'postgres', host: 'db', port: 5432, user: 'bob', password: 'pw-1234', database: 'd', role: 'r' };
    // Act
    const summary = summarizeConnection('pg', connection, { isDefault: false, updatedAt: 7 });
    // Assert
    expect(summary).toEqual({ gateway: 'pg', type: 'postgres', isDefault: false, host: 'db', port: 5432, database: 'd', updatedAt: 7 });
  });

  it('leaves out fields of the wrong type instead of showing them', () => {
    expect(summarizeConnection('x', { type: 'duckdb', database: { secret: 'y' }, port: '1' }, { isDefault: true, updatedAt: 0 })).toEqual({
      gateway: 'x',
      type: 'duckdb',
      isDefault: true,
      updatedAt: 0,
    });
  });
});

describe('describeConnection', () => {
  it.each([
    [{ type: 'postgres', host: 'db', port: 5432, database: 'd' }, 'postgres db:5432/d'],
    [{ type: 'duckdb', database: 'w.duckdb' }, 'duckdb w.duckdb'],
    [{ type: 'duckdb' }, 'duckdb'],
  ])('describes %j as %j', (summary, text) => {
    expect(describeConnection(summary)).toBe(text);
  });
});
