import { parseRequirementsLock } from '../../shared/src/project/requirements-lock';
import { fingerprintVersion } from '../../shared/src/snapshot/fingerprint';
import {
  type EnvironmentSuffixTarget,
  type TableNamingConvention,
  displayName,
  parseModelName,
  physicalTableName,
  viewName,
} from '../../shared/src/snapshot/naming';
import { loadVectors, NAMING_VECTOR_FNS, type Vector } from './vectors';

type NamingVectorFn = (typeof NAMING_VECTOR_FNS)[number];



function text(inputs: Vector['inputs'], key: string): string {
  const value = inputs[key];
  if (typeof value !== 'string') throw new Error(`input '${key}' should be a string, got ${JSON.stringify(value)}`);
  return value;
}

function optionalText(inputs: Vector['inputs'], key: string): string | undefined {
  return inputs[key] === undefined || inputs[key] === null ? undefined : text(inputs, key);
}

function optionalOneOf<T extends string>(inputs: Vector['inputs'], key: string, allowed: readonly T[]): T | undefined {
  const value = optionalText(inputs, key);
  if (value === undefined) return undefined;
  const match = allowed.find((a) => a === value);
  if (match === undefined) throw new Error(`input '${key}' is '${value}', expected one of ${allowed.join(', ')}`);
  return match;
}

const CONVENTIONS: readonly TableNamingConvention[] = ['schema_and_table', 'table_only', 'hash_md5'];
const SUFFIX_TARGETS: readonly EnvironmentSuffixTarget[] = ['schema', 'table', 'catalog'];

const RUNNERS: Record<NamingVectorFn, (inputs: Vector['inputs']) => unknown> = {
  table_name: (inputs) => {
    const name = text(inputs, 'name');
    const parsed = parseModelName(name);
    // The vectors pass bare names without a schema, which SQLMesh keeps out of the table part.
    const parts = name.includes('.') ? parsed : { table: parsed.table };
    return physicalTableName({ ...parts, catalog: optionalText(inputs, 'catalog') }, text(inputs, 'version'), {
      physicalSchema: text(inputs, 'physical_schema'),
      suffix: optionalText(inputs, 'suffix'),
      namingConvention: optionalOneOf(inputs, 'naming_convention', CONVENTIONS),
    });
  },
  fingerprint_version: (inputs) => fingerprintVersion(text(inputs, 'data_hash'), text(inputs, 'parent_data_hash')),
  view_name: (inputs) =>
    viewName(
      {
        catalog: optionalText(inputs, 'catalog'),
        schema: optionalText(inputs, 'schema'),
        table: text(inputs, 'table'),
      },
      optionalText(inputs, 'env') ?? 'prod',
      optionalOneOf(inputs, 'suffix_target', SUFFIX_TARGETS),
      { catalogOverride: optionalText(inputs, 'catalog_override') },
    ),
  display_name: (inputs) => {
    const dialect = optionalText(inputs, 'dialect');
    if (dialect !== undefined && dialect !== 'duckdb') {
      throw new Error(`dialect '${dialect}' is not supported by displayName (only duckdb)`);
    }
    return displayName(text(inputs, 'model_name'), optionalText(inputs, 'env') ?? 'prod', {
      suffixTarget: optionalOneOf(inputs, 'suffix_target', SUFFIX_TARGETS),
      catalogOverride: optionalText(inputs, 'catalog_override'),
      defaultCatalog: optionalText(inputs, 'default_catalog'),
    });
  },
  parse_requirements_lock: (inputs) => parseRequirementsLock(text(inputs, 'text'), 'sqlmesh-requirements.lock'),
};

const vectors = loadVectors().filter((v): v is Vector & { fn: NamingVectorFn } =>
  (NAMING_VECTOR_FNS as readonly string[]).includes(v.fn),
);

describe('naming conformance vectors', () => {
  it.each(NAMING_VECTOR_FNS)('has cases for %s', (fn) => {
    expect(vectors.some((v) => v.fn === fn)).toBe(true);
  });

  it.each(vectors.map((v) => [`${v.id} ${v.fn}`, v] as const))('%s', (_name, vector) => {
    expect(RUNNERS[vector.fn](vector.inputs)).toEqual(vector.expected);
  });
});
