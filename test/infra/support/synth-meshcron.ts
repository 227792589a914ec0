import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createMeshcronApp } from '../../../infra/meshcron-app';
import type { MeshcronStack, MeshcronStackProps } from '../../../infra/stacks/meshcron-stack';

/** Context that skips esbuild bundling: template tests need the resources, not the code assets. */
export const SKIP_BUNDLING: Readonly<Record<string, unknown>> = { 'aws:cdk:bundling-stacks': [] };

/** A CloudFormation resource as it appears in the template JSON. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

/** The synthesized stack, its assertions Template and the raw template JSON. */
export interface SynthesizedMeshcron {
  readonly stack: MeshcronStack;
  readonly template: Template;
  readonly resources: Readonly<Record<string, CfnResourceJson>>;
}

/** Synthesizes the Meshcron stack without bundling and without cdk-nag. */
export function synthMeshcron(context: Readonly<Record<string, unknown>> = {}, stackProps?: MeshcronStackProps): SynthesizedMeshcron {
  const { stack } = createMeshcronApp({
    nag: false,
    context: { ...SKIP_BUNDLING, ...context },
    ...(stackProps ? { stackProps } : {}),
  });
  const template = Template.fromStack(stack);
  const resources = (template.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources;
  return { stack, template, resources };
}

/** Logical IDs and resources of one type. */
export function resourcesOfType(resources: Readonly<Record<string, CfnResourceJson>>, type: string): [string, CfnResourceJson][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** The logical ID of the CloudFormation resource behind an L2 construct. */
export function logicalIdOf(stack: MeshcronStack, construct: IConstruct | undefined): string {
  const element = construct?.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct?.node.path ?? 'undefined'} has no CloudFormation resource`);
  return stack.resolve(stack.getLogicalId(element)) as string;
}
