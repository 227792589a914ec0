import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag's rule for wildcards in IAM policies. */
const WILDCARD_RULE = 'AwsSolutions-IAM5';

/**
 * The resource part of an IAM5 finding ID for `Fn::GetAtt [<resource>, Arn]` followed by `suffix`, the way
 * cdk-nag writes it: `<LogicalId.Arn>` + suffix, e.g. `<HandlersTick01265233.Arn>:*`.
 */
export function arnFindingResource(resource: IConstruct, suffix: string): string {
  const element = (resource.node.defaultChild ?? resource) as CfnElement;
  const stack = Stack.of(element);
  const logicalId = stack.resolve(stack.getLogicalId(element)) as string;
  return `<${logicalId}.Arn>${suffix}`;
}

/**
 * Acknowledges one wildcard resource (`*`, or `<Id.Arn>/...*`) in the IAM policies under `scope`, with the
 * reason it cannot be narrower. One call per finding: cdk-nag 3 has no rule-wide acknowledgement.
 */
export function acknowledgeWildcardResource(scope: IConstruct, findingResource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${WILDCARD_RULE}[Resource::${findingResource}]`, reason });
}
