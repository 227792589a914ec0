/**
 * Project bundles: the files of a project as submitted for a plan (config, models, seeds, audits), keyed by
 * plan id. On AWS an S3 bucket; locally a folder under `.meshcron/bundles`. The server plans from the bundle,
 * so users and CI never need warehouse credentials to plan (R22).
 */
export type ProjectFiles = Readonly<Record<string, string>>;

export interface BundleStore {
  put(planId: string, files: ProjectFiles): Promise<void>;
  /** Throws NotFoundError for an unknown plan id. */
  get(planId: string): Promise<ProjectFiles>;
}
