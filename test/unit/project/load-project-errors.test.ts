import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { DuckDbSqlParser } from '../../../functions/adapters/duckdb-sql-parser';
import { DagCycleError, ProjectParseError, UnsupportedFeatureError } from '../../../shared/src/errors';
import { loadProject } from '../../../shared/src/project/load-project';
import { ProjectWriter } from './project-writer';

const parser = new DuckDbSqlParser();
const writer = new ProjectWriter();
afterAll(async () => {
  await parser.close();
  writer.cleanup();
});

/** Loads a throwaway project made of `files` and returns what it threw. */
async function loadError(files: Record<string, string>, options: { gateway?: string } = {}): Promise<Error> {
  const root = writer.write(files);
  const result = await loadProject(root, { sqlParser: parser }, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(result instanceof Error)) throw new Error('expected loadProject to fail, but it loaded');
  return result;
}

/** A model file: a MODEL block with `props` (one per line, from line 2) and then `rest`. */
const modelFile = (props: string[], rest = 'SELECT 1 AS x'): string => `MODEL (\n  ${props.join(',\n  ')}\n);\n\n${rest}\n`;

type ErrorClass = typeof ProjectParseError | typeof UnsupportedFeatureError | typeof DagCycleError;

describe('loadProject rejects bad input, naming the file, the line and the problem', () => {
  it.each<[string, Record<string, string>, ErrorClass, string | RegExp]>([
    // --- malformed MODEL blocks and files
    [
      'a MODEL block that is never closed',
      { 'models/m.sql': 'MODEL (\n  name db.m,\n  kind FULL;\nSELECT 1' },
      ProjectParseError,
      "models/m.sql:1: the '(' of MODEL is never closed; check for a missing ')'",
    ],
    [
      'a MODEL block missing a comma between properties',
      { 'models/m.sql': 'MODEL (\n  name db.m\n  kind FULL\n);\nSELECT 1' },
      ProjectParseError,
      /^models\/m\.sql:2: model name must be \[catalog\.\]\[schema\.\]table, found expression db\.m\n {2}kind FULL$/,
    ],
    [
      'a file that does not start with MODEL',
      { 'models/m.sql': '-- just a query\nSELECT 1;' },
      ProjectParseError,
      "models/m.sql:2: a model file must start with a MODEL (...) block (comments may precede it), found 'SELECT 1'",
    ],
    [
      'a second query',
      { 'models/m.sql': modelFile(['name db.m', 'kind FULL'], 'SELECT 1;\n\nSELECT 2;') },
      ProjectParseError,
      'models/m.sql:8: only one SELECT query is allowed per model; the query already started on line 6',
    ],
    [
      'a model without a query',
      { 'models/m.sql': 'MODEL (name db.m, kind FULL);' },
      ProjectParseError,
      "models/m.sql:1: model 'db.m' has no query; add a SELECT statement after the MODEL block",
    ],
    [
      'a name written as a string',
      { 'models/m.sql': modelFile(["name 'db.m'"]) },
      ProjectParseError,
      'models/m.sql:2: model name must be written as an identifier, not a string: name db.m (without quotes)',
    ],
    [
      'a Jinja section',
      { 'models/m.sql': modelFile(['name db.m'], 'JINJA_QUERY_BEGIN;\nSELECT {{ 1 }};\nJINJA_END;') },
      UnsupportedFeatureError,
      /^models\/m\.sql:5: Jinja sections \(JINJA_QUERY_BEGIN\) are not supported/,
    ],
    // --- kinds
    [
      'an unknown kind',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_MAGIC']) },
      ProjectParseError,
      "models/m.sql:3: unknown model kind 'INCREMENTAL_BY_MAGIC'; valid kinds: FULL, VIEW, INCREMENTAL_BY_TIME_RANGE, INCREMENTAL_BY_UNIQUE_KEY, SEED, EMBEDDED",
    ],
    [
      'a SQLMesh kind Meshcron does not run',
      { 'models/m.sql': modelFile(['name db.m', 'kind SCD_TYPE_2 (unique_key id)']) },
      UnsupportedFeatureError,
      /^models\/m\.sql:3: model kind SCD_TYPE_2 is not supported yet; supported kinds: FULL, VIEW/,
    ],
    [
      'an unknown kind property',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_TIME_RANGE (\n    time_column ds,\n    batch_sise 3\n  )']) },
      ProjectParseError,
      /^models\/m\.sql:5: unknown property 'batch_sise' for kind INCREMENTAL_BY_TIME_RANGE; valid properties: time_column, batch_size, /,
    ],
    [
      'INCREMENTAL_BY_TIME_RANGE without time_column',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_TIME_RANGE (batch_size 3)']) },
      ProjectParseError,
      "models/m.sql:3: kind INCREMENTAL_BY_TIME_RANGE requires 'time_column', e.g. time_column ds or time_column (ds, '%Y-%m-%d')",
    ],
    [
      'INCREMENTAL_BY_UNIQUE_KEY without unique_key',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_UNIQUE_KEY']) },
      ProjectParseError,
      "models/m.sql:3: kind INCREMENTAL_BY_UNIQUE_KEY requires 'unique_key', e.g. unique_key (id) or unique_key [id, ds]",
    ],
    // --- properties
    [
      'an unknown property',
      { 'models/m.sql': modelFile(['name db.m', "colour 'red'"]) },
      ProjectParseError,
      /^models\/m\.sql:3: unknown model property 'colour'; valid properties: allow_partials, audits, blueprints, clustered_by, /,
    ],
    [
      'a boolean property with a non-boolean value',
      { 'models/m.sql': modelFile(['name db.m', 'enabled maybe']) },
      ProjectParseError,
      "models/m.sql:3: property 'enabled' must be TRUE or FALSE, found identifier maybe",
    ],
    [
      'a cron written without quotes',
      { 'models/m.sql': modelFile(['name db.m', 'cron 5']) },
      ProjectParseError,
      "models/m.sql:3: property 'cron' must be a string in single quotes, e.g. 'text', found number 5",
    ],
    [
      'a negative batch size',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_TIME_RANGE (time_column ds, batch_size -2)']) },
      ProjectParseError,
      "models/m.sql:3: kind property 'batch_size' must be a whole number >= 1, found number -2",
    ],
    [
      'an unreadable start',
      { 'models/m.sql': modelFile(['name db.m', "start 'next tuesday-ish'"]) },
      ProjectParseError,
      /^models\/m\.sql:3: start of model 'db\.m': Cannot read "next tuesday-ish" as a time/,
    ],
    [
      'an end without a start',
      { 'config.yaml': 'model_defaults:\n  dialect: duckdb\n', 'models/m.sql': modelFile(['name db.m', "end '2024-02-01'"]) },
      ProjectParseError,
      "models/m.sql:3: model 'db.m' sets end but no start; an end requires a start",
    ],
    [
      'a start after the end',
      { 'models/m.sql': modelFile(['name db.m', "start '2024-03-01'", "end '2024-02-01'"]) },
      ProjectParseError,
      "models/m.sql:4: model 'db.m' has start '2024-03-01' after end '2024-02-01'",
    ],
    [
      'an interval unit coarser than the cron without allow_partials',
      { 'models/m.sql': modelFile(['name db.m', "cron '@hourly'", 'interval_unit day']) },
      ProjectParseError,
      "models/m.sql:4: model 'db.m': Cron '@hourly' cannot be more frequent than interval unit 'day'. If this is intentional, set allow_partials to True.",
    ],
    [
      'an unknown interval unit',
      { 'models/m.sql': modelFile(['name db.m', 'interval_unit fortnight']) },
      ProjectParseError,
      "models/m.sql:3: unknown interval_unit 'fortnight'; valid units: year, month, day, hour, half_hour, quarter_hour, five_minute",
    ],
    [
      'an undefined gateway',
      { 'models/m.sql': modelFile(['name db.m', 'gateway nowhere']) },
      ProjectParseError,
      "models/m.sql:3: model 'db.m' uses gateway 'nowhere', which is not defined; defined gateways: ",
    ],
    // --- cron and time zone
    [
      'a cron with the wrong number of fields',
      { 'models/m.sql': modelFile(['name db.m', "cron '0 0 * *'"]) },
      ProjectParseError,
      /^models\/m\.sql:3: Invalid cron '0 0 \* \*' for model 'db\.m': expected 5 fields .* got 4 fields$/,
    ],
    [
      'a cron firing more often than every 5 minutes',
      { 'models/m.sql': modelFile(['name db.m', "cron '*/2 * * * *'"]) },
      ProjectParseError,
      "models/m.sql:3: Invalid cron '*/2 * * * *' for model 'db.m': must run at a frequency of 5 minutes or slower.",
    ],
    [
      'a cron with an out-of-range value',
      { 'models/m.sql': modelFile(['name db.m', "cron '0 25 * * *'"]) },
      ProjectParseError,
      "models/m.sql:3: Invalid cron '0 25 * * *' for model 'db.m': hour 25 outside 0-23",
    ],
    [
      'an invalid cron in model_defaults',
      { 'config.yaml': "model_defaults:\n  dialect: duckdb\n  cron: '0 0 * *'\n", 'models/m.sql': modelFile(['name db.m']) },
      ProjectParseError,
      /^config\.yaml:3: model_defaults\.cron: Invalid cron '0 0 \* \*': expected 5 fields/,
    ],
    [
      'an unknown time zone',
      { 'models/m.sql': modelFile(['name db.m', "cron_tz 'Mars/Olympus'"]) },
      ProjectParseError,
      "models/m.sql:3: unknown time zone 'Mars/Olympus' in cron_tz; use an IANA zone name such as 'America/New_York' or 'Europe/Berlin'",
    ],
    [
      'an unknown time zone in model_defaults',
      { 'config.yaml': 'model_defaults:\n  dialect: duckdb\n  cron_tz: Europe/Atlantis\n', 'models/m.sql': modelFile(['name db.m']) },
      ProjectParseError,
      /^config\.yaml:3: unknown time zone 'Europe\/Atlantis' in cron_tz/,
    ],
    // --- references and the graph
    [
      'a reference to an unknown table, at the line it is on',
      { 'models/m.sql': modelFile(['name db.m'], 'SELECT *\nFROM db.known\nJOIN raw.nope ON TRUE'), 'models/k.sql': modelFile(['name db.known']) },
      ProjectParseError,
      "models/m.sql:7: model 'db.m' references unknown table 'raw.nope'; it is neither a model nor an external model (declare tables this project does not build in external_models.yaml)",
    ],
    [
      'a bare reference that matches no default-schema model',
      { 'models/m.sql': modelFile(['name db.m'], 'SELECT * FROM orders') },
      ProjectParseError,
      /^models\/m\.sql:5: model 'db\.m' references unknown table 'default\.orders'/,
    ],
    [
      'depends_on naming an unknown model',
      { 'models/m.sql': modelFile(['name db.m', 'depends_on [db.ghost]']) },
      ProjectParseError,
      /^models\/m\.sql:3: model 'db\.m' depends_on names unknown table 'db\.ghost'/,
    ],
    [
      'a reference to a disabled model',
      { 'models/m.sql': modelFile(['name db.m'], 'SELECT * FROM db.off'), 'models/off.sql': modelFile(['name db.off', 'enabled false']) },
      ProjectParseError,
      "models/m.sql:5: model 'db.m' references 'db.off', which is disabled (enabled false)",
    ],
    [
      'a dependency cycle',
      {
        'models/a.sql': modelFile(['name db.a'], 'SELECT * FROM db.b'),
        'models/b.sql': modelFile(['name db.b'], 'SELECT * FROM db.c'),
        'models/c.sql': modelFile(['name db.c'], 'SELECT * FROM db.a'),
      },
      DagCycleError,
      'models/a.sql:1: dependency cycle: db.a -> db.b -> db.c -> db.a',
    ],
    [
      'duplicate model names',
      { 'models/a.sql': modelFile(['name db.same']), 'models/sub/b.sql': modelFile(['name DB.Same']) },
      ProjectParseError,
      "models/sub/b.sql:1: model name 'db.same' is defined twice: in models/a.sql:1 and in models/sub/b.sql:1",
    ],
    [
      'a query that does not parse, at the line of the error',
      { 'models/m.sql': modelFile(['name db.m'], 'SELECT a,\n  b\nFROM FROM t') },
      ProjectParseError,
      /^models\/m\.sql:7: the query of model 'db\.m' does not parse: syntax error at or near "FROM" \(line 3 of the query\)$/,
    ],
    // --- macros
    [
      'an undefined macro variable, at its line',
      { 'models/m.sql': modelFile(['name db.m', 'kind INCREMENTAL_BY_TIME_RANGE (time_column ds)'], 'SELECT 1 AS ds\nWHERE x = @nope') },
      ProjectParseError,
      /^models\/m\.sql:7: macro variable 'nope' is undefined/,
    ],
    [
      'an interval variable in a FULL model query',
      { 'models/m.sql': modelFile(['name db.m', 'kind FULL'], 'SELECT @start_ds AS ds') },
      ProjectParseError,
      /^models\/m\.sql:6: macro variable 'start_ds' is undefined/,
    ],
    [
      'a macro function call',
      { 'models/m.sql': modelFile(['name db.m'], "SELECT @EACH(['a'], x -> x)") },
      UnsupportedFeatureError,
      /^models\/m\.sql:5: macro function @EACH\(\.\.\.\) is not supported/,
    ],
    // --- seeds
    [
      'a missing seed file',
      { 'models/s.sql': "MODEL (\n  name db.s,\n  kind SEED (\n    path '../seeds/missing.csv'\n  )\n);" },
      ProjectParseError,
      "models/s.sql:4: seed file 'seeds/missing.csv' does not exist (path '../seeds/missing.csv' is relative to models/s.sql; start it with '$root/' to make it relative to the project root)",
    ],
    [
      'a seed path escaping the project folder',
      { 'models/s.sql': "MODEL (\n  name db.s,\n  kind SEED (path '../../outside/x.csv')\n);" },
      ProjectParseError,
      /^models\/s\.sql:3: seed path '\.\.\/\.\.\/outside\/x\.csv' resolves to .*, outside the project folder/,
    ],
    [
      'a seed with a query',
      { 'models/s.sql': "MODEL (name db.s, kind SEED (path '$root/seeds/a.csv'));\nSELECT 1", 'seeds/a.csv': 'a\n1\n' },
      ProjectParseError,
      "models/s.sql:2: model 'db.s' is a SEED model: its rows come from the CSV file, so it takes no query",
    ],
    // --- audits
    [
      'an unknown audit',
      { 'models/m.sql': modelFile(['name db.m', 'audits (not_null(columns := (x)), no_such_audit)']) },
      ProjectParseError,
      "models/m.sql:3: model 'db.m' uses unknown audit 'no_such_audit'; define it in audits/*.sql or use one of: not_null, unique_values, accepted_values, number_of_rows, forall",
    ],
    [
      'a SQLMesh built-in audit Meshcron does not implement',
      { 'models/m.sql': modelFile(['name db.m', 'audits (accepted_range(column := x, min_v := 0))']) },
      UnsupportedFeatureError,
      /^models\/m\.sql:3: model 'db\.m' uses the SQLMesh built-in audit 'accepted_range'/,
    ],
    [
      'a positional audit argument',
      { 'models/m.sql': modelFile(['name db.m', 'audits (not_null(x))']) },
      ProjectParseError,
      "models/m.sql:3: audit 'not_null' argument 'x' must be named, e.g. not_null(columns := (id))",
    ],
    [
      'an audit file with an unknown audit property',
      { 'audits/a.sql': 'AUDIT (\n  name a,\n  severity high\n);\nSELECT 1;', 'models/m.sql': modelFile(['name db.m']) },
      ProjectParseError,
      "audits/a.sql:3: unknown audit property 'severity'; valid properties: name, dialect, blocking, skip, defaults, description, owner, tags",
    ],
    [
      'an audit defined twice',
      { 'audits/a.sql': 'AUDIT (name a);\nSELECT 1;\n\nAUDIT (name A);\nSELECT 2;', 'models/m.sql': modelFile(['name db.m']) },
      ProjectParseError,
      "audits/a.sql:4: audit 'a' is defined twice (first at audits/a.sql:1)",
    ],
    // --- Python
    [
      'Python model files, all listed',
      { 'models/a.py': 'from sqlmesh import model\n', 'models/sub/b.py': 'x = 1\n', 'models/m.sql': modelFile(['name db.m']) },
      UnsupportedFeatureError,
      'models/a.py:1: Python models are not supported yet: models/a.py, models/sub/b.py',
    ],
    [
      'Python macros',
      { 'macros/__init__.py': '', 'macros/util.py': 'from sqlmesh import macro\n', 'models/m.sql': modelFile(['name db.m']) },
      UnsupportedFeatureError,
      /^macros\/util\.py:1: Python macros are not supported yet: macros\/util\.py;/,
    ],
    // --- config
    [
      'config.py',
      { 'config.py': 'config = None\n' },
      UnsupportedFeatureError,
      'config.py:1: Python config files are not supported: config.py; write the configuration as config.yaml',
    ],
    [
      'model_defaults without a dialect',
      { 'config.yaml': "gateways:\n  local: {}\nmodel_defaults:\n  cron: '@daily'\n" },
      ProjectParseError,
      'config.yaml:3: model_defaults.dialect is required (e.g. model_defaults: {dialect: duckdb})',
    ],
    [
      'an unknown model_defaults key',
      { 'config.yaml': 'model_defaults:\n  dialect: duckdb\n  crontab: x\n' },
      ProjectParseError,
      /^config\.yaml:3: unknown model_defaults key 'crontab'; allowed keys: kind, dialect, cron, cron_tz, /,
    ],
    [
      'an unknown default gateway',
      { 'config.yaml': 'gateways:\n  local: {}\ndefault_gateway: prod_gw\nmodel_defaults:\n  dialect: duckdb\n' },
      ProjectParseError,
      "config.yaml:3: gateway 'prod_gw' is not defined; defined gateways: local",
    ],
    [
      'an unsupported scheduler type',
      { 'config.yaml': 'gateways:\n  local:\n    scheduler:\n      type: airflow\nmodel_defaults:\n  dialect: duckdb\n' },
      ProjectParseError,
      /^config\.yaml:3: unsupported scheduler \{"type":"airflow"\}; use \{type: builtin\} or \{type: cloud\}/,
    ],
    [
      'invalid YAML (an unquoted @daily)',
      { 'config.yaml': 'model_defaults:\n  dialect: duckdb\n  cron: @daily\n' },
      ProjectParseError,
      /^config\.yaml:3: invalid YAML: Plain value cannot start with reserved character @/,
    ],
    [
      'an external model with an unknown key',
      { 'external_models.yaml': '- name: raw.x\n  colums:\n    id: INT\n', 'models/m.sql': modelFile(['name db.m']) },
      ProjectParseError,
      "external_models.yaml:2: unknown external model key 'colums'; valid keys: name, columns, gateway, dialect, description, owner, tags, column_descriptions",
    ],
  ])('%s', async (_name, files, errorClass, message) => {
    // Act
    const error = await loadError(files);

    // Assert
    expect(error).toBeInstanceOf(errorClass);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('rejects a seed that is a symlink to a file outside the project', async () => {
    // Arrange
    const target = writer.outside('secret.csv', 'a\n1\n');
    const root = writer.write({ 'models/s.sql': "MODEL (\n  name db.s,\n  kind SEED (path '$root/seeds/link.csv')\n);" });
    mkdirSync(path.join(root, 'seeds'));
    symlinkSync(target, path.join(root, 'seeds', 'link.csv'));

    // Act
    const error = await loadProject(root, { sqlParser: parser }).catch((e: unknown) => e as Error);

    // Assert
    expect(error).toBeInstanceOf(ProjectParseError);
    expect((error as Error).message).toMatch(
      /^models\/s\.sql:3: seed path '\$root\/seeds\/link\.csv' is a symlink to .*secret\.csv, outside the project folder/,
    );
  });

  it('rejects a --gateway that is not defined, listing the defined ones', async () => {
    // Act
    const error = await loadError({ 'config.yaml': 'gateways:\n  a: {}\n  B: {}\nmodel_defaults:\n  dialect: duckdb\n' }, { gateway: 'c' });

    // Assert
    expect(error.message).toBe("config.yaml:1: gateway 'c' is not defined; defined gateways: a, b");
  });
});
