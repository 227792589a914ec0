import type { Interval } from '../schedule/interval';

/** Operators longer than one character, longest first so that `->>` wins over `->`. */
export const MULTI_CHAR_OPERATORS = [
  '->>',
  '!~~',
  ':=',
  '::',
  '<=',
  '>=',
  '<>',
  '!=',
  '==',
  '||',
  '->',
  '=>',
  '**',
  '//',
  '<<',
  '>>',
  '~~',
  '!~',
  '^@',
] as const;

/** Opening tag of a dollar-quoted body: `$$` or `$name$` (`$1` is a parameter, not a tag). */
export const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** The macro functions Meshcron evaluates; any other `@name(` is a user or built-in macro it cannot run. */
export const SUPPORTED_MACRO_FUNCTIONS = ['VAR', 'DEF'] as const;

/** One day, the interval rendered when there is none (SQLMesh renders the epoch date as start and end). */
export const EPOCH_INTERVAL: Interval = [0, 86_400_000];
