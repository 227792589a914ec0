import type { IConstruct } from 'constructs';
import {
  CONNECTION_KEY_MANAGE_ACTIONS,
  CONNECTION_KEY_RESOLVE_ACTIONS,
  CONNECTION_MANAGE_ACTIONS,
  CONNECTION_RESOLVE_ACTIONS,
} from '../../infra/constructs/connection-secrets';
import { ENV_CONNECTION_KEY_ARN, ENV_CONNECTION_SECRET_PREFIX } from '../../infra/handler-environment';
import { HANDLER_NAMES, type HandlerName, WAREHOUSE_HANDLERS } from '../../infra/handlers';
import { logicalIdOf, resourcesOfType, synthMeshcron } from './support/synth-meshcron';

/**
 * Saved warehouse connections in the template: secrets readable only by the executor handlers
 * (prepare-plan, execute-batches, promote-plan) and written only by the api handler, under a key whose
 * policy lets exactly those four roles have Secrets Manager decrypt or encrypt with it.
 */

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: { readonly AWS?: unknown; readonly Service?: unknown };
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const SECRETS_ARN = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:meshcron/connections/*'],
  ],
};

describe('connection secrets in the Meshcron stack', () => {
  const { stack, template, resources } = synthMeshcron();
  const id = (construct: IConstruct | undefined): string => logicalIdOf(stack, construct);
  const roleOf = (name: HandlerName): string => id(stack.handlers.get(name).role);
  const keyId = id(stack.connectionSecrets.key);
  const policies = resourcesOfType(resources, 'AWS::IAM::Policy').map(([, policy]) => {
    const props = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    return { roles: props.Roles.map((role) => role.Ref), statements: props.PolicyDocument.Statement };
  });
  const secretStatementsOf = (roleId: string): Statement[] =>
    policies
      .filter((policy) => policy.roles.includes(roleId))
      .flatMap((policy) => policy.statements)
      .filter((statement) => asList(statement.Action).some((action) => action.startsWith('secretsmanager:')));

  test('has its own rotated, retained key with an alias', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: { Description: 'Meshcron: encrypts the saved warehouse connections (Secrets Manager)', EnableKeyRotation: true },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/meshcron-connections', TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  test('lets the executor handlers only read connection secrets, and only under meshcron/connections/', () => {
    for (const name of WAREHOUSE_HANDLERS) {
      expect({ name, statements: secretStatementsOf(roleOf(name)) }).toEqual({
        name,
        statements: [{ Effect: 'Allow', Action: CONNECTION_RESOLVE_ACTIONS[0], Resource: SECRETS_ARN }],
      });
    }
  });

  test('lets the api handler create, replace, delete and restore them, but not read them', () => {
    expect(secretStatementsOf(roleOf('api'))).toEqual([{ Effect: 'Allow', Action: CONNECTION_MANAGE_ACTIONS, Resource: SECRETS_ARN }]);
    expect(CONNECTION_MANAGE_ACTIONS).not.toContain('secretsmanager:GetSecretValue');
  });

  test('gives no other handler or role any Secrets Manager action', () => {
    const allowed = new Set([...WAREHOUSE_HANDLERS, 'api'].map((name) => roleOf(name as HandlerName)));
    const others = policies.filter((policy) => policy.roles.some((role) => !allowed.has(role)));
    const actions = others.flatMap((policy) => policy.statements).flatMap((statement) => asList(statement.Action));
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    expect(HANDLER_NAMES.filter((name) => secretStatementsOf(roleOf(name)).length > 0).sort()).toEqual(
      ['api', 'execute-batches', 'prepare-plan', 'promote-plan'].sort(),
    );
  });

  test('lets exactly those four roles use the key, only through Secrets Manager in this account', () => {
    const policy = resources[keyId]?.Properties?.KeyPolicy as { Statement: Statement[] };
    const [root, ...grants] = policy.Statement;
    expect(JSON.stringify(root?.Principal)).toContain(':root');
    const byRole = grants.map((statement) => ({
      role: (statement.Principal?.AWS as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
      actions: asList(statement.Action),
      resource: statement.Resource,
      condition: statement.Condition,
    }));
    const condition = {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
        'kms:CallerAccount': { Ref: 'AWS::AccountId' },
      },
    };
    expect(byRole.sort((a, b) => a.role.localeCompare(b.role))).toEqual(
      [
        ...WAREHOUSE_HANDLERS.map((name) => ({ role: roleOf(name), actions: CONNECTION_KEY_RESOLVE_ACTIONS, resource: '*', condition })),
        { role: roleOf('api'), actions: CONNECTION_KEY_MANAGE_ACTIONS, resource: '*', condition },
      ].sort((a, b) => a.role.localeCompare(b.role)),
    );
  });

  test('tells every handler the secret prefix and the key, and no handler carries a connection value', () => {
    for (const name of HANDLER_NAMES) {
      const fn = resources[id(stack.handlers.get(name))]?.Properties ?? {};
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect({ name, prefix: variables[ENV_CONNECTION_SECRET_PREFIX], key: variables[ENV_CONNECTION_KEY_ARN] }).toEqual({
        name,
        prefix: 'meshcron',
        key: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
    expect(JSON.stringify(template.toJSON())).not.toMatch(/password/i);
  });
});
