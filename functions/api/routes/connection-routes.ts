import { z } from 'zod';
import { ConnectionInputError, ConnectionTestError } from '../../../shared/src/connections/connection-errors';
import { parseConnectionYaml } from '../../../shared/src/connections/connection-yaml';
import { MAX_CONNECTION_YAML_BYTES } from '../../../shared/src/connections/constants';
import { normalizeGatewayName } from '../../../shared/src/connections/gateway-name';
import { saveTestedConnection } from '../../../shared/src/connections/save-connection';
import { SchedulerError, UnsupportedFeatureError } from '../../../shared/src/errors';
import type { ConnectionFields, ConnectionManager, ConnectionSummary } from '../../../shared/src/ports/connection-store';
import type { ApiDeps } from '../api-deps';
import { ApiError } from '../api-error';
import { jsonResponse } from '../api-response';
import { parseInput, parseJsonBody } from '../parse-input';
import { isoTime } from '../present-time';
import type { RouteHandlers, RoutedRequest } from '../router';

/**
 * Saved warehouse connections over HTTP. A connection arrives as YAML in SQLMesh's connection format, is
 * validated, tested (`SELECT 1` within 10 s) and only then saved; answers show type, host, port and
 * database, never a password, token or key. Refusals are 4xx naming the field (`gateway`, `yaml`,
 * `yaml.port`, …); a failed test is a 400 whose code is `connection_<reason>`.
 */

const yamlField = z
  .string({ error: 'must be a string of connection YAML' })
  .max(MAX_CONNECTION_YAML_BYTES, `must be at most ${MAX_CONNECTION_YAML_BYTES} characters`);
const createBody = z.strictObject({
  gateway: z.string({ error: 'must be a string' }),
  yaml: yamlField,
  makeDefault: z.boolean({ error: 'must be true or false' }).optional(),
});
const replaceBody = z.strictObject({ yaml: yamlField, makeDefault: z.boolean({ error: 'must be true or false' }).optional() });
const gatewayParams = z.object({ gateway: z.string() });

/** A saved connection as the API shows it (absent fields as null, so the shape never changes). */
export interface ConnectionView {
  readonly gateway: string;
  readonly type: string;
  readonly isDefault: boolean;
  readonly host: string | null;
  readonly port: number | null;
  readonly database: string | null;
  readonly updatedAt: string;
}

function presentConnection(summary: ConnectionSummary): ConnectionView {
  return {
    gateway: summary.gateway,
    type: summary.type,
    isDefault: summary.isDefault,
    host: summary.host ?? null,
    port: summary.port ?? null,
    database: summary.database ?? null,
    updatedAt: isoTime(summary.updatedAt),
  };
}

function managerOf(deps: ApiDeps): ConnectionManager {
  if (!deps.connections) throw new ApiError(501, 'not_configured', 'this deployment has no connection store, so it cannot manage connections');
  return deps.connections;
}

/** The gateway name, lower-cased and checked; a bad one is a 400 naming `field`. */
function gatewayOf(raw: string, field: string): string {
  try {
    return normalizeGatewayName(raw, field);
  } catch (error) {
    throw refusal(error);
  }
}

/** Turns input and validation errors into 400s naming the field; anything else passes through. */
function refusal(error: unknown): unknown {
  if (error instanceof ConnectionInputError) return new ApiError(400, 'invalid_input', error.message, { field: error.field });
  if (error instanceof UnsupportedFeatureError) return new ApiError(400, 'unsupported_connection_type', error.message, { field: 'yaml.type' });
  if (error instanceof ConnectionTestError) return new ApiError(400, `connection_${error.reason}`, error.message, { field: 'yaml' });
  if (error instanceof SchedulerError && typeof (error as { field?: unknown }).field === 'string') {
    // The validator names fields as `<gateway>.<field>`; in a request they live inside `yaml`.
    const field = (error as unknown as { field: string }).field.split('.').slice(1).join('.');
    return new ApiError(400, 'invalid_connection', error.message, { field: field ? `yaml.${field}` : 'yaml' });
  }
  return error;
}

/** Validates the YAML, tests the connection and saves it; every refusal is a 400 naming the field. */
async function testAndSave(manager: ConnectionManager, gateway: string, yaml: string, makeDefault: boolean | undefined): Promise<ConnectionSummary> {
  try {
    const connection: ConnectionFields = manager.parse(parseConnectionYaml(yaml, 'yaml'), gateway);
    return await saveTestedConnection({ store: manager.store, tester: manager.tester }, gateway, connection, makeDefault ? { makeDefault } : {});
  } catch (error) {
    throw refusal(error);
  }
}

async function listConnections(_request: RoutedRequest, deps: ApiDeps) {
  const connections = await managerOf(deps).store.list();
  return jsonResponse(200, { connections: connections.map(presentConnection) });
}

async function createConnection(request: RoutedRequest, deps: ApiDeps) {
  const manager = managerOf(deps);
  const body = parseInput(createBody, parseJsonBody(request.body, { required: true }), 'body');
  const gateway = gatewayOf(body.gateway, 'gateway');
  if ((await manager.store.list()).some((c) => c.gateway === gateway)) {
    throw new ApiError(409, 'connection_exists', `gateway '${gateway}' already has a connection; replace it with PUT /connections/${gateway}`, {
      field: 'gateway',
    });
  }
  return jsonResponse(201, presentConnection(await testAndSave(manager, gateway, body.yaml, body.makeDefault)));
}

async function replaceConnection(request: RoutedRequest, deps: ApiDeps) {
  const manager = managerOf(deps);
  const gateway = gatewayOf(parseInput(gatewayParams, request.params, 'path').gateway, 'gateway');
  const body = parseInput(replaceBody, parseJsonBody(request.body, { required: true }), 'body');
  const existed = (await manager.store.list()).some((c) => c.gateway === gateway);
  return jsonResponse(existed ? 200 : 201, presentConnection(await testAndSave(manager, gateway, body.yaml, body.makeDefault)));
}

async function deleteConnection(request: RoutedRequest, deps: ApiDeps) {
  const manager = managerOf(deps);
  const gateway = gatewayOf(parseInput(gatewayParams, request.params, 'path').gateway, 'gateway');
  await manager.store.delete(gateway);
  return jsonResponse(200, { deleted: gateway });
}

async function makeDefault(request: RoutedRequest, deps: ApiDeps) {
  const manager = managerOf(deps);
  const gateway = gatewayOf(parseInput(gatewayParams, request.params, 'path').gateway, 'gateway');
  return jsonResponse(200, presentConnection(await manager.store.setDefault(gateway)));
}

/** The connection routes. */
export const connectionRoutes: RouteHandlers = {
  'GET /connections': listConnections,
  'POST /connections': createConnection,
  'PUT /connections/{gateway}': replaceConnection,
  'DELETE /connections/{gateway}': deleteConnection,
  'POST /connections/{gateway}/default': makeDefault,
};
