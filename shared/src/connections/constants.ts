/**
 * Constants of saved warehouse connections: gateway names, the fields that are secret or public, and the
 * limits on what a user may submit.
 */

/** A saved gateway name after lower-casing: 1-63 of `a-z 0-9 _ -`, not starting with `-` (it would read as an option). */
export const GATEWAY_NAME_PATTERN = /^[a-z0-9_][a-z0-9_-]{0,62}$/;

/** Longest gateway name, matching {@link GATEWAY_NAME_PATTERN}. */
export const MAX_GATEWAY_NAME_CHARS = 63;

/**
 * Connection fields whose values are credentials (SQLMesh's names across engines). They are never listed,
 * logged or put in a message; their values are also masked wherever a driver might echo them. Nested ones
 * (`secrets`, `connector_config`) may carry cloud keys in any sub-field, so all their strings count.
 */
export const SECRET_CONNECTION_FIELDS = [
  'password',
  'token',
  'private_key',
  'private_key_path',
  'private_key_passphrase',
  'key',
  'keyfile',
  'keyfile_json',
  'secret',
  'secrets',
  'access_token',
  'client_secret',
  'aws_secret_access_key',
  'aws_session_token',
  'connector_config',
] as const;

/** The only connection fields besides `type` that `list()` shows. */
export const PUBLIC_CONNECTION_FIELDS = ['host', 'port', 'database'] as const;

/** How long a connection test may take before it counts as `timeout` (SQLMesh's `connect_timeout` default is 10 s). */
export const DEFAULT_CONNECTION_TEST_TIMEOUT_MS = 10_000;

/** Largest connection YAML accepted; a real connection is a few hundred bytes, so 64 KiB is generous. */
export const MAX_CONNECTION_YAML_BYTES = 64 * 1024;

/**
 * Most alias uses a connection YAML may resolve. Anchors are legal YAML, but a handful is all a connection
 * could need; the cap stops "billion laughs" documents from expanding exponentially.
 */
export const MAX_CONNECTION_YAML_ALIASES = 16;

/** Shortest secret value masked inside messages; masking shorter ones would mangle ordinary words. */
export const MIN_MASKED_SECRET_CHARS = 4;

/** What a masked secret reads as. */
export const SECRET_MASK = '***';

/** Scheduler type whose gateways execute on the connection saved with Meshcron, not the one in config.yaml. */
export const SAVED_CONNECTION_SCHEDULER_TYPE = 'cloud';
