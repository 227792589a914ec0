/** Constants of the audit area. */

/** Alias given to the audited relation inside generated built-in audit queries. */
export const AUDITED_ALIAS = '__meshcron_audited';

/** Suffix of a built-in audit's non-blocking twin (`not_null_non_blocking`). */
export const NON_BLOCKING_SUFFIX = '_non_blocking';
