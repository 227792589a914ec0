/** The vector functions test/conformance/naming-vectors.test.ts runs (snapshot naming, versions, lock file). */
export const NAMING_VECTOR_FNS = [
  'table_name',
  'view_name',
  'display_name',
  'fingerprint_version',
  'parse_requirements_lock',
] as const;

export type NamingVectorFn = (typeof NAMING_VECTOR_FNS)[number];
