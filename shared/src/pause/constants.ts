/** Pause id of an environment-wide pause: one per environment. */
export const ENVIRONMENT_PAUSE_ID = 'env';

/** Prefix of a model pause's id (`model:<name>`): one pause per model and environment. */
export const MODEL_PAUSE_PREFIX = 'model:';

/** Prefix of the batch reason of a batch a pause held back (`skipped:paused:<pauseId>`). */
export const PAUSED_REASON_PREFIX = 'skipped:paused:';

/** Longest pause reason accepted, so a reason cannot swell batch records and API answers. */
export const MAX_PAUSE_REASON_LENGTH = 500;

/** `createdBy` when the caller's identity is unknown. */
export const UNKNOWN_PAUSER = 'unknown';
