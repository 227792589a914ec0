import { NotFoundError } from '../errors';
import type { Project } from './model';

/**
 * The models `name` waits for when scheduled. EMBEDDED models are never evaluated (they are inlined into their
 * children as subqueries), so an EMBEDDED parent is replaced by its own scheduling parents, recursively.
 * `dependsOn` keeps the parents as written; use this when ordering work.
 *
 * @throws NotFoundError when `name` is not a model of the project.
 * @example
 * // raw.events <- stg.clean (EMBEDDED) <- mart.daily
 * schedulingParents(project, 'mart.daily'); // ['raw.events']
 */
export function schedulingParents(project: Pick<Project, 'models'>, name: string): string[] {
  const model = project.models.get(name);
  if (model === undefined) throw new NotFoundError(`model '${name}' is not in the project`);
  const parents = new Set<string>();
  const visited = new Set<string>([name]);
  const stack = [...model.dependsOn];
  while (stack.length > 0) {
    const parent = stack.pop() as string;
    if (visited.has(parent)) continue;
    visited.add(parent);
    const definition = project.models.get(parent);
    if (definition?.kind.name === 'EMBEDDED') stack.push(...definition.dependsOn);
    else parents.add(parent);
  }
  return [...parents].sort();
}
