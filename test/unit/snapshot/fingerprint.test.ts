import fc from 'fast-check';
import type { AuditDefinition, ModelDefinition } from '../../../shared/src/project/model';
import {
  type Fingerprint,
  type FingerprintInputs,
  fingerprintModel,
  hashSeedContent,
} from '../../../shared/src/snapshot/fingerprint';
import { hashData } from '../../../shared/src/snapshot/hash';
import { DAILY_ITR_KIND as itr, makeModel } from './model-fixture';

const base = makeModel();
/** A FULL model, fingerprinted without parents. */
const fullModel = (name: string, query: string, owner?: string): Fingerprint =>
  fingerprintModel(makeModel({ name, kind: { name: 'FULL' }, query, owner }), []);

type SeedKind = Extract<ModelDefinition['kind'], { name: 'SEED' }>;
type UniqueKeyKind = Extract<ModelDefinition['kind'], { name: 'INCREMENTAL_BY_UNIQUE_KEY' }>;

const seedKind: SeedKind = {
  name: 'SEED',
  path: '/home/a/project/seeds/countries.csv',
  relativePath: 'seeds/countries.csv',
  csvSettings: { delimiter: ',', quotechar: '"', header: true },
  batchSize: 1000,
};
const seedModel = makeModel({ name: 'shop.countries', kind: seedKind, query: '' });
const withSeed = (kind: Partial<SeedKind>): ModelDefinition => ({ ...seedModel, kind: { ...seedKind, ...kind } });
const seedInputs: FingerprintInputs = { seedContentHash: hashSeedContent('code,name\nfr,France\n') };

const uniqueKeyKind: UniqueKeyKind = {
  name: 'INCREMENTAL_BY_UNIQUE_KEY',
  uniqueKey: ['id'],
  lookback: 0,
  forwardOnly: false,
  disableRestatement: false,
};
const uniqueKeyModel = makeModel({ kind: uniqueKeyKind });

const projectAudit: AuditDefinition = {
  name: 'positive_amount',
  query: 'SELECT * FROM @this_model WHERE amount < 0',
  blocking: true,
  skip: false,
  defaults: {},
  location: { file: 'audits/positive_amount.sql', line: 1 },
};
const auditUse = { name: 'positive_amount', args: {}, location: { file: 'models/orders.sql', line: 5 } };
const notNullUse = { ...auditUse, name: 'not_null', args: { columns: '(id)' } };
const auditsOf = (audit: AuditDefinition): FingerprintInputs => ({
  auditDefinitions: new Map([[audit.name, audit]]),
});
const statement = (sql: string) => [{ sql, location: base.location }];

interface Variant {
  readonly what: string;
  readonly before?: ModelDefinition;
  readonly after: ModelDefinition;
  readonly beforeInputs?: FingerprintInputs;
  readonly afterInputs?: FingerprintInputs;
  /** The change also touches metadata (a new cron, or a kind that drops batching fields). */
  readonly alsoMetadata?: boolean;
}

const dataChanges: readonly Variant[] = [
  { what: 'the query', after: makeModel({ query: base.query.replace('amount', 'amount * 2 AS amount') }) },
  { what: 'the kind', after: makeModel({ kind: { name: 'FULL' } }), alsoMetadata: true },
  {
    what: 'VIEW materialized',
    before: makeModel({ kind: { name: 'VIEW', materialized: false } }),
    after: makeModel({ kind: { name: 'VIEW', materialized: true } }),
  },
  { what: 'the time column', after: makeModel({ kind: { ...itr, timeColumn: 'created_at' } }) },
  { what: 'the time column format', after: makeModel({ kind: { ...itr, timeColumnFormat: '%Y%m%d' } }) },
  { what: 'lookback', after: makeModel({ kind: { ...itr, lookback: 2 } }) },
  { what: 'the explicit interval unit', after: makeModel({ intervalUnit: 'hour', intervalUnitExplicit: true }) },
  {
    what: 'the interval unit inferred from a new cron',
    after: makeModel({ cron: '@hourly', intervalUnit: 'hour' }),
    alsoMetadata: true,
  },
  { what: 'the dialect', after: makeModel({ dialect: 'postgres' }) },
  { what: 'declared columns', after: makeModel({ columns: [{ name: 'id', type: 'INT' }] }) },
  {
    what: 'a column type',
    before: makeModel({ columns: [{ name: 'id', type: 'INT' }] }),
    after: makeModel({ columns: [{ name: 'id', type: 'BIGINT' }] }),
  },
  { what: 'a pre-statement', after: makeModel({ preStatements: statement('SET threads = 1') }) },
  { what: 'a post-statement', after: makeModel({ postStatements: statement('ANALYZE') }) },
  { what: 'the stamp', after: makeModel({ stamp: 'v2' }) },
  { what: 'the gateway', after: makeModel({ gateway: 'warehouse' }) },
  { what: 'a physical property', after: makeModel({ otherProperties: { partitioned_by: '(ds)' } }) },
  {
    what: 'the unique key',
    before: uniqueKeyModel,
    after: makeModel({ kind: { ...uniqueKeyKind, uniqueKey: ['id', 'ds'] } }),
  },
  {
    what: 'when_matched',
    before: uniqueKeyModel,
    after: makeModel({ kind: { ...uniqueKeyKind, whenMatched: 'WHEN MATCHED THEN UPDATE SET amount = 1' } }),
  },
  {
    what: 'the seed CSV content',
    before: seedModel,
    beforeInputs: seedInputs,
    after: seedModel,
    afterInputs: { seedContentHash: hashSeedContent('code,name\nfr,France\nde,Germany\n') },
  },
  {
    what: 'the seed CSV settings',
    before: seedModel,
    beforeInputs: seedInputs,
    after: withSeed({ csvSettings: { delimiter: ';', quotechar: '"', header: true } }),
    afterInputs: seedInputs,
  },
];

const metadataChanges: readonly Variant[] = [
  { what: 'the cron within the same unit', after: makeModel({ cron: '0 5 * * *' }) },
  { what: 'cron_tz', after: makeModel({ cronTz: 'America/Chicago' }) },
  { what: 'start', after: makeModel({ start: '2023-01-01' }) },
  { what: 'end', after: makeModel({ end: '2025-01-01' }) },
  { what: 'owner', after: makeModel({ owner: 'data-team' }) },
  { what: 'description', after: makeModel({ description: 'Orders by day' }) },
  { what: 'tags', after: makeModel({ tags: ['finance'] }) },
  { what: 'grains', after: makeModel({ grains: ['id'] }) },
  { what: 'batch_size', after: makeModel({ kind: { ...itr, batchSize: 7 } }) },
  { what: 'batch_concurrency', after: makeModel({ kind: { ...itr, batchConcurrency: 2 } }) },
  { what: 'forward_only', after: makeModel({ kind: { ...itr, forwardOnly: true } }) },
  { what: 'disable_restatement', after: makeModel({ kind: { ...itr, disableRestatement: true } }) },
  { what: 'allow_partials', after: makeModel({ allowPartials: true }) },
  { what: 'depends_on', after: makeModel({ explicitDependsOn: ['raw.customers'] }) },
  { what: 'on_virtual_update', after: makeModel({ onVirtualUpdate: statement('GRANT SELECT ON @this_model TO r') }) },
  { what: 'an added audit', after: makeModel({ audits: [auditUse] }) },
  {
    what: 'audit arguments',
    before: makeModel({ audits: [auditUse] }),
    after: makeModel({ audits: [{ ...auditUse, args: { threshold: '5' } }] }),
  },
  {
    what: 'audit blocking',
    before: makeModel({ audits: [auditUse] }),
    after: makeModel({ audits: [{ ...auditUse, blocking: false }] }),
  },
  {
    what: "a project audit's query",
    before: makeModel({ audits: [auditUse] }),
    beforeInputs: auditsOf(projectAudit),
    after: makeModel({ audits: [auditUse] }),
    afterInputs: auditsOf({ ...projectAudit, query: 'SELECT * FROM @this_model WHERE amount <= 0' }),
  },
  {
    what: "an inline audit's query",
    before: makeModel({ audits: [auditUse], inlineAudits: [projectAudit] }),
    after: makeModel({ audits: [auditUse], inlineAudits: [{ ...projectAudit, query: 'SELECT 1 WHERE FALSE' }] }),
  },
  { what: 'a virtual property', after: makeModel({ otherProperties: { virtual_properties: "(comment = 'x')" } }) },
  {
    what: 'the seed load batch size',
    before: seedModel,
    beforeInputs: seedInputs,
    after: withSeed({ batchSize: 10 }),
    afterInputs: seedInputs,
  },
];

const neutralChanges: readonly Variant[] = [
  {
    what: 'query layout and comments',
    after: makeModel({
      query: 'SELECT id , amount ,ds -- columns\nFROM raw.orders\n  /* window */ WHERE ds BETWEEN @start_ds AND @end_ds;',
    }),
  },
  { what: 'the order of tags', before: makeModel({ tags: ['a', 'b'] }), after: makeModel({ tags: ['b', 'a'] }) },
  {
    what: 'the order of audits',
    before: makeModel({ audits: [auditUse, notNullUse] }),
    after: makeModel({ audits: [notNullUse, auditUse] }),
  },
  { what: 'the file location', after: makeModel({ location: { file: 'models/sales/orders.sql', line: 9 } }) },
  { what: 'whether the same interval unit was explicit', after: makeModel({ intervalUnitExplicit: true }) },
  {
    what: 'the absolute seed path',
    before: seedModel,
    beforeInputs: seedInputs,
    after: withSeed({ path: '/tmp/elsewhere/seeds/countries.csv' }),
    afterInputs: seedInputs,
  },
];

function pair(variant: Variant): [Fingerprint, Fingerprint] {
  return [
    fingerprintModel(variant.before ?? base, [], variant.beforeInputs),
    fingerprintModel(variant.after, [], variant.afterInputs),
  ];
}

const cases = (variants: readonly Variant[]) => variants.map((v) => [v.what, v] as const);

describe('fingerprintModel', () => {
  it.each(cases(dataChanges))('changes the data hash and version when %s changes', (_what, variant) => {
    // Act
    const [before, after] = pair(variant);
    // Assert
    expect(after.dataHash).not.toBe(before.dataHash);
    expect(after.version).not.toBe(before.version);
    expect(after.identifier).not.toBe(before.identifier);
    if (!variant.alsoMetadata) expect(after.metadataHash).toBe(before.metadataHash);
  });

  it.each(cases(metadataChanges))('changes only the metadata hash when %s changes', (_what, variant) => {
    // Act
    const [before, after] = pair(variant);
    // Assert
    expect(after.metadataHash).not.toBe(before.metadataHash);
    expect(after.identifier).not.toBe(before.identifier);
    expect(after.dataHash).toBe(before.dataHash);
    expect(after.version).toBe(before.version);
  });

  it.each(cases(neutralChanges))('keeps every hash when only %s changes', (_what, variant) => {
    const [before, after] = pair(variant);
    expect(after).toEqual(before);
  });

  it('keeps the version across any whitespace-only re-layout of the query', () => {
    // Arrange
    const words = base.query.split(' ');
    const reference = fingerprintModel(base, []);
    const gap = fc.constantFrom(' ', '  ', '\n', '\n\t', ' \r\n ');
    const gaps = fc.array(gap, { minLength: words.length - 1, maxLength: words.length - 1 });
    fc.assert(
      fc.property(gaps, (chosen) => {
        // Act
        const query = words.map((word, i) => `${word}${chosen[i] ?? ''}`).join('');
        // Assert
        expect(fingerprintModel(makeModel({ query }), []).version).toBe(reference.version);
      }),
    );
  });

  it('derives identifier and version from the four hashes as SQLMesh does', () => {
    const fp = fingerprintModel(base, []);
    const { dataHash, metadataHash, parentDataHash, parentMetadataHash } = fp;
    expect(fp.identifier).toBe(hashData([dataHash, metadataHash, parentDataHash, parentMetadataHash]));
    expect(fp.version).toBe(hashData([dataHash, parentDataHash]));
  });

  it('gives a model without parents parent hashes of "0"', () => {
    const fp = fingerprintModel(base, []);
    expect([fp.parentDataHash, fp.parentMetadataHash]).toEqual(['0', '0']);
  });

  describe('parents', () => {
    const parent = fullModel('raw.orders', 'SELECT 1 AS id');
    const otherParent = fullModel('raw.customers', 'SELECT 2 AS id');
    const child = fingerprintModel(base, [parent]);

    it('gives the child a new version when a parent changes its data', () => {
      const after = fingerprintModel(base, [fullModel('raw.orders', 'SELECT 3 AS id')]);
      expect(after.dataHash).toBe(child.dataHash);
      expect(after.parentDataHash).not.toBe(child.parentDataHash);
      expect(after.version).not.toBe(child.version);
    });

    it("keeps the child's version when a parent changes only metadata", () => {
      const after = fingerprintModel(base, [fullModel('raw.orders', 'SELECT 1 AS id', 'someone')]);
      expect(after.version).toBe(child.version);
      expect(after.parentMetadataHash).not.toBe(child.parentMetadataHash);
      expect(after.identifier).not.toBe(child.identifier);
    });

    it('propagates a grandparent data change through the parent', () => {
      const parentModel = makeModel({ name: 'raw.orders', kind: { name: 'FULL' }, query: 'SELECT * FROM src.a' });
      const versionWith = (grandparentQuery: string) =>
        fingerprintModel(base, [fingerprintModel(parentModel, [fullModel('src.a', grandparentQuery)])]).version;
      expect(versionWith('SELECT 2')).not.toBe(versionWith('SELECT 1'));
    });

    it('does not depend on the order parents are given in', () => {
      expect(fingerprintModel(base, [parent, otherParent])).toEqual(fingerprintModel(base, [otherParent, parent]));
    });

    it('hashes the sorted parent versions into parentDataHash', () => {
      const versions = [parent.version, otherParent.version].sort();
      expect(fingerprintModel(base, [otherParent, parent]).parentDataHash).toBe(hashData(versions));
    });
  });

  it('requires the seed content hash for a SEED model', () => {
    expect(() => fingerprintModel(seedModel, [])).toThrowErrorMatchingInlineSnapshot(
      `"seed model 'shop.countries' (models/orders.sql:1) cannot be fingerprinted without the content hash of 'seeds/countries.csv': pass seedContentHash so that editing the CSV creates a new version"`,
    );
  });

  it('ignores environment variables, even ones the query refers to', () => {
    // Arrange
    const model = makeModel({ query: "SELECT @VAR('key') AS k, {{ env_var('MESHCRON_TEST_SECRET') }} AS s" });
    const previous = process.env.MESHCRON_TEST_SECRET;
    try {
      // Act
      process.env.MESHCRON_TEST_SECRET = 'first';
      const first = fingerprintModel(model, []);
      process.env.MESHCRON_TEST_SECRET = 'second';
      const second = fingerprintModel(model, []);
      // Assert
      expect(second).toEqual(first);
    } finally {
      if (previous === undefined) delete process.env.MESHCRON_TEST_SECRET;
      else process.env.MESHCRON_TEST_SECRET = previous;
    }
  });

  it('is stable across releases and machines for a fixed model', () => {
    // A pinned regression value, not a computation: if this changes, every deployed model gets a new
    // version and is rebuilt. Change it only on purpose, and say so in the release notes.
    expect(fingerprintModel(base, [])).toMatchInlineSnapshot(`
{
  "dataHash": "3524525716",
  "identifier": "3623233804",
  "metadataHash": "223567235",
  "parentDataHash": "0",
  "parentMetadataHash": "0",
  "version": "2583282822",
}
`);
  });
});
