import * as path from 'node:path';
import { buildDag } from '../dag/dag';
import { ProjectParseError, UnsupportedFeatureError } from '../errors';
import type { SqlParser } from '../ports/sql-parser';
import { parseAuditFile } from './audit-file';
import { checkAuditUses } from './audit-uses';
import { buildModelDraft, type ModelDraft } from './build-model';
import { loadExternalModels } from './external-models';
import type { AuditDefinition, ModelDefinition, Project } from './model';
import { resolveDependencies } from './model-dependencies';
import { splitModelFile } from './model-file';
import { loadProjectConfig } from './project-config';
import { nodeProjectFileSystem, type ProjectFileSystem, relativeToRoot } from './project-file-system';

/** Collaborators of {@link loadProject}. */
export interface LoadProjectDeps {
  /** Finds the tables each model query reads (DuckDbSqlParser in production). */
  readonly sqlParser: SqlParser;
  /** File access; defaults to the local disk. */
  readonly fs?: ProjectFileSystem;
}

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** Gateway to load for instead of the config's `default_gateway` (its variables and model_defaults apply). */
  readonly gateway?: string;
}

/**
 * Loads and validates a SQLMesh-format project folder: the config, every `models/**\/*.sql` file, audits and
 * external models; resolves each model's dependencies and checks the graph has no cycle. Nothing is executed.
 *
 * @throws ProjectParseError (message starting with `file:line:`) for anything malformed or inconsistent,
 *   UnsupportedFeatureError for SQLMesh features Meshcron does not run (Python models and macros, Jinja,
 *   some kinds), DagCycleError for a dependency cycle.
 * @example
 * const parser = new DuckDbSqlParser();
 * const project = await loadProject('/path/to/project', { sqlParser: parser });
 * project.models.get('shop.orders')?.dependsOn; // ['shop.raw_orders']
 */
export async function loadProject(root: string, deps: LoadProjectDeps, options: LoadProjectOptions = {}): Promise<Project> {
  const absoluteRoot = path.resolve(root);
  const fs = deps.fs ?? nodeProjectFileSystem;
  const loaded = await loadProjectConfig(absoluteRoot, fs, options.gateway);

  const modelFiles = await fs.listFiles(path.join(absoluteRoot, 'models'), true);
  await rejectPythonFiles(absoluteRoot, fs, modelFiles);

  const audits = await loadAudits(absoluteRoot, fs);

  const drafts: ModelDraft[] = [];
  for (const absolute of modelFiles.filter((f) => f.toLowerCase().endsWith('.sql'))) {
    const file = relativeToRoot(absoluteRoot, absolute);
    const parts = splitModelFile(await fs.readFile(absolute), file);
    const draft = await buildModelDraft(parts, absolute, { root: absoluteRoot, fs, loaded });
    const clash = drafts.find((d) => d.name === draft.name);
    if (clash) throw duplicateModel(draft.name, clash.location, draft.location);
    drafts.push(draft);
  }
  const externals = await loadExternalModels(absoluteRoot, fs, loaded);
  for (const external of externals) {
    const clash = drafts.find((d) => d.name === external.name);
    if (clash) throw duplicateModel(external.name, clash.location, external.location);
  }

  const enabled = drafts.filter((d) => d.enabled);
  const known = new Set([...enabled.map((d) => d.name), ...externals.map((e) => e.name)]);
  const disabled = new Set(drafts.filter((d) => !d.enabled).map((d) => d.name));
  const resolved: ModelDefinition[] = [...externals];
  for (const draft of enabled) {
    const defined = new Map(audits);
    for (const inline of draft.inlineAudits) defined.set(inline.name, inline);
    checkAuditUses(draft.name, draft.audits, defined);
    resolved.push(
      await resolveDependencies(draft, {
        parser: deps.sqlParser,
        userVariables: loaded.userVariables,
        gateway: loaded.activeGateway.name,
        known,
        disabled,
      }),
    );
  }
  resolved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const models = new Map(resolved.map((m) => [m.name, m]));
  buildDag(models);
  return { root: absoluteRoot, config: loaded.config, models, audits };
}

/** Reads audits/**\/*.sql; an audit name defined twice is an error naming both places. */
async function loadAudits(root: string, fs: ProjectFileSystem): Promise<Map<string, AuditDefinition>> {
  const audits = new Map<string, AuditDefinition>();
  const files = (await fs.listFiles(path.join(root, 'audits'), true)).filter((f) => f.toLowerCase().endsWith('.sql'));
  for (const absolute of files) {
    for (const audit of parseAuditFile(await fs.readFile(absolute), relativeToRoot(root, absolute))) {
      const clash = audits.get(audit.name);
      if (clash) {
        throw new ProjectParseError(
          `audit '${audit.name}' is defined twice (first at ${clash.location.file}:${clash.location.line})`,
          audit.location,
        );
      }
      audits.set(audit.name, audit);
    }
  }
  return audits;
}

/**
 * Python models (models/**\/*.py) and macros (macros/*.py) need a Python runtime Meshcron does not have. All of
 * them are listed in one error so a user sees the whole extent at once. Files with no code (the empty
 * `__init__.py` that `sqlmesh init` creates) do not count.
 */
async function rejectPythonFiles(root: string, fs: ProjectFileSystem, modelFiles: readonly string[]): Promise<void> {
  const withCode = async (files: readonly string[]): Promise<string[]> => {
    const out: string[] = [];
    for (const file of files.filter((f) => f.toLowerCase().endsWith('.py'))) {
      if (hasPythonCode(await fs.readFile(file))) out.push(relativeToRoot(root, file));
    }
    return out;
  };
  const models = await withCode(modelFiles);
  if (models.length > 0) {
    throw new UnsupportedFeatureError(`Python models are not supported yet: ${models.join(', ')}`, {
      file: models[0] as string,
      line: 1,
    });
  }
  const macros = await withCode(await fs.listFiles(path.join(root, 'macros'), true));
  if (macros.length > 0) {
    throw new UnsupportedFeatureError(
      `Python macros are not supported yet: ${macros.join(', ')}; use macro variables, @VAR and @DEF instead`,
      { file: macros[0] as string, line: 1 },
    );
  }
}

function hasPythonCode(text: string): boolean {
  return text.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('#');
  });
}

function duplicateModel(name: string, first: { file: string; line: number }, second: { file: string; line: number }): ProjectParseError {
  return new ProjectParseError(
    `model name '${name}' is defined twice: in ${first.file}:${first.line} and in ${second.file}:${second.line}`,
    second,
  );
}
