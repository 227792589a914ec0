import type { Stack } from 'aws-cdk-lib';
import type { CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { SchedulerError } from '../../shared/src/errors';

/** Values put in place of the CloudFormation references left in a synthesized definition. */
export interface RenderDefinitionOptions {
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /**
   * ARN of the resource with this logical ID (the target of `Fn::GetAtt [id, Arn]`).
   * @default an ARN of a Lambda function named after the logical ID, in the region and account above
   */
  readonly arnOf?: (logicalId: string) => string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 200) ?? String(value);
}

/**
 * The `DefinitionString` of `stateMachine` in `stack` as plain JSON text: the `Fn::Join` CDK writes is
 * concatenated, pseudo parameters (`AWS::Partition`, `AWS::Region`, `AWS::AccountId`, `AWS::URLSuffix`)
 * and `Fn::GetAtt [id, Arn]` are replaced by the given values. The result runs in aws-local-stepfunctions,
 * which binds Task states to local functions by state name, so the ARNs only need to be well formed.
 *
 * @throws SchedulerError when the definition holds a reference it cannot replace (it names the reference).
 * @example
 * const json = renderDefinition(stack, stack.orchestration.runJob);
 * const machine = new StateMachine(JSON.parse(json));
 */
export function renderDefinition(stack: Stack, stateMachine: StateMachine, options: RenderDefinitionOptions = {}): string {
  const partition = options.partition ?? 'aws';
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const arnOf = options.arnOf ?? ((id: string) => `arn:${partition}:lambda:${region}:${account}:function:${id}`);
  const pseudo: Readonly<Record<string, string>> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const where = stateMachine.node.path;

  const flatten = (token: unknown): string => {
    if (typeof token === 'string') return token;
    if (isObject(token)) {
      const join = token['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        return join[1].map(flatten).join(join[0]);
      }
      const ref = token.Ref;
      if (typeof ref === 'string' && pseudo[ref] !== undefined) return pseudo[ref];
      const getAtt = token['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn') return arnOf(getAtt[0]);
    }
    throw new SchedulerError(
      `cannot render the definition of ${where}: unsupported reference ${describe(token)}; ` +
        'supported are Fn::Join, Ref to AWS::Partition/Region/AccountId/URLSuffix and Fn::GetAtt [id, Arn]',
    );
  };

  const cfn = stateMachine.node.defaultChild as CfnStateMachine;
  const text = flatten(stack.resolve(cfn.definitionString));
  // Parse once so a broken join shows up here, not as a confusing error inside the local runner.
  JSON.parse(text);
  return text;
}
