import type { IConstruct } from 'constructs';
import { HANDLER_NAMES, type HandlerName } from '../../infra/handlers';
import { type CfnResourceJson, logicalIdOf, resourcesOfType, synthMeshcron } from './support/synth-meshcron';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('IAM of the Meshcron stack', () => {
  const { stack, resources } = synthMeshcron();
  const id = (construct: IConstruct | undefined): string => logicalIdOf(stack, construct);
  const tableId = id(stack.stateTable.table);
  const keyId = id(stack.stateTable.key);
  const bucketId = id(stack.bundleBucket.bucket);
  const roleOf = (name: HandlerName): string => id(stack.handlers.get(name).role);

  /** Statements of every IAM policy in the template, with the role logical IDs each applies to. */
  const policies = resourcesOfType(resources, 'AWS::IAM::Policy').map(([, policy]) => {
    const props = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    return { roles: props.Roles.map((role) => role.Ref), statements: props.PolicyDocument.Statement };
  });
  const statementsOfRole = (roleId: string): Statement[] =>
    policies.filter((policy) => policy.roles.includes(roleId)).flatMap((policy) => policy.statements);
  const allStatements = policies.flatMap((policy) => policy.statements);
  const withActionPrefix = (prefix: string): Statement[] =>
    allStatements.filter((statement) => asList(statement.Action).some((action) => action.startsWith(prefix)));

  test('no IAM statement has a wildcard action', () => {
    const actions = allStatements.flatMap((statement) => asList(statement.Action));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  test('no role carries an AWS managed policy', () => {
    for (const [, role] of resourcesOfType(resources, 'AWS::IAM::Role')) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  test('DynamoDB actions reach only the state table and its runs index', () => {
    const statements = withActionPrefix('dynamodb:');
    expect(statements).toHaveLength(2 * HANDLER_NAMES.length);
    for (const statement of statements) {
      expect([
        { 'Fn::GetAtt': [tableId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/gsi1']] },
      ]).toContainEqual(statement.Resource);
    }
    expect(allStatements.flatMap((statement) => asList(statement.Action))).not.toContain('dynamodb:Scan');
  });

  test('KMS actions reach only the state key, and only through DynamoDB', () => {
    const statements = withActionPrefix('kms:');
    expect(statements).toHaveLength(HANDLER_NAMES.length);
    for (const statement of statements) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(JSON.stringify(statement.Condition)).toContain('kms:ViaService');
    }
  });

  test('only the api handler writes bundles; only it, prepare-plan and the plan workers read them, under bundles/ of the bundle bucket', () => {
    const bundles = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/bundles/*']] };
    for (const statement of withActionPrefix('s3:')) expect(statement.Resource).toEqual(bundles);
    const s3ActionsOf = (name: HandlerName): string[] =>
      statementsOfRole(roleOf(name)).flatMap((statement) => asList(statement.Action)).filter((action) => action.startsWith('s3:')).sort();
    expect(s3ActionsOf('api')).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']);
    expect(s3ActionsOf('prepare-plan')).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(s3ActionsOf('execute-batches')).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    const readers = ['api', 'prepare-plan', 'execute-batches'];
    for (const name of HANDLER_NAMES.filter((n) => !readers.includes(n))) expect(s3ActionsOf(name)).toEqual([]);
  });

  test('tick may start run jobs, api may start run jobs and plans, no other handler may start anything', () => {
    const runRef = { Ref: id(stack.orchestration.runJob) };
    const planRef = { Ref: id(stack.orchestration.planApplication) };
    const startsOf = (name: HandlerName): unknown[] =>
      statementsOfRole(roleOf(name)).filter((statement) => asList(statement.Action).includes('states:StartExecution')).map((s) => s.Resource);
    expect(startsOf('tick')).toEqual([runRef]);
    expect(startsOf('api')).toEqual([runRef, planRef]);
    for (const name of HANDLER_NAMES.filter((n) => n !== 'tick' && n !== 'api')) expect(startsOf(name)).toEqual([]);
  });

  test('each state machine may invoke exactly its own task functions', () => {
    const invokedBy = (machine: typeof stack.orchestration.runJob): string[] =>
      statementsOfRole(id(machine.role))
        .filter((statement) => asList(statement.Action).includes('lambda:InvokeFunction'))
        .map((statement) => (asList(statement.Resource)[0] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0])
        .sort();
    const fnIds = (...names: HandlerName[]): string[] => names.map((name) => id(stack.handlers.get(name))).sort();
    expect(invokedBy(stack.orchestration.runJob)).toEqual(fnIds('prepare-run', 'execute-batches', 'finish-run'));
    expect(invokedBy(stack.orchestration.planApplication)).toEqual(fnIds('prepare-plan', 'execute-batches', 'promote-plan'));
  });

  test('Resource "*" appears only for log delivery and X-Ray actions of the state machine roles', () => {
    const machineRoles = [stack.orchestration.runJob, stack.orchestration.planApplication].map((machine) =>
      id(machine.role),
    );
    for (const policy of policies) {
      for (const statement of policy.statements.filter((s) => asList(s.Resource).includes('*'))) {
        expect(machineRoles).toEqual(expect.arrayContaining(policy.roles));
        for (const action of asList(statement.Action)) expect(action).toMatch(/^(logs|xray):/);
      }
    }
  });

  test('the key policy only delegates to IAM (account root) and lets CloudWatch publish alarms from this account', () => {
    const policy = resources[keyId]?.Properties?.KeyPolicy as { Statement: (Statement & { Principal: Record<string, unknown> })[] };
    expect(policy.Statement.map((statement) => [Object.keys(statement.Principal)[0], statement.Action])).toEqual([
      ['AWS', 'kms:*'],
      ['Service', ['kms:Decrypt', 'kms:GenerateDataKey']],
    ]);
    expect(JSON.stringify(policy.Statement[0]?.Principal)).toContain(':root');
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  test('the resources reference each other without a cycle', () => {
    // Arrange: edges from Ref, Fn::GetAtt and DependsOn between resources of the template.
    const edges = new Map<string, Set<string>>();
    const collect = (value: unknown, into: Set<string>): void => {
      if (Array.isArray(value)) for (const item of value) collect(item, into);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string' && inner in resources) into.add(inner);
          else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') into.add(inner[0]);
          else collect(inner, into);
        }
      }
    };
    for (const [logicalId, resource] of Object.entries(resources) as [string, CfnResourceJson][]) {
      const targets = new Set<string>(resource.DependsOn ? asList(resource.DependsOn) : []);
      collect(resource.Properties, targets);
      edges.set(logicalId, targets);
    }

    // Act: depth-first search for a back edge.
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (node: string, path: string[]): boolean => {
      if (state.get(node) === 'done') return false;
      if (state.get(node) === 'open') {
        cycle.push(...path.slice(path.indexOf(node)), node);
        return true;
      }
      state.set(node, 'open');
      for (const next of edges.get(node) ?? []) if (visit(next, [...path, node])) return true;
      state.set(node, 'done');
      return false;
    };
    for (const node of edges.keys()) if (visit(node, [])) break;

    // Assert
    expect(cycle).toEqual([]);
  });
});
