import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MeshcronStack, type MeshcronStackProps } from './stacks/meshcron-stack';

/** Name of the stack (and its construct ID) in the app. */
export const MESHCRON_STACK_NAME = 'Meshcron';

/**
 * Feature flags this app relies on, set in code so tests and `cdk synth` build the same template.
 * `serverAccessLogsUseBucketPolicy`: the access log bucket admits the S3 logging service by bucket policy,
 * which works with ACLs disabled (BucketOwnerEnforced); the legacy ACL grant would not.
 */
export const MESHCRON_FEATURE_FLAGS: Readonly<Record<string, boolean>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/** Options of {@link createMeshcronApp}. */
export interface MeshcronAppOptions {
  /** Extra CDK context (settings such as `maxConcurrency`, or `aws:cdk:bundling-stacks` in tests). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Where `app.synth()` writes the cloud assembly; a temporary directory when absent. */
  readonly outdir?: string;
  /** Stack props; settings given here win over context. */
  readonly stackProps?: MeshcronStackProps;
  /** Run the cdk-nag AWS Solutions checks at synth. @default true */
  readonly nag?: boolean;
}

/** The app and its one stack. */
export interface MeshcronApp {
  readonly app: App;
  readonly stack: MeshcronStack;
}

/**
 * Builds the Meshcron CDK app: one environment-agnostic stack (no account or region needed, so synth works
 * offline) checked by cdk-nag's AWS Solutions pack, which makes `app.synth()` throw on any finding that is
 * not acknowledged with a reason.
 */
export function createMeshcronApp(options: MeshcronAppOptions = {}): MeshcronApp {
  const props: AppProps = {
    context: { ...MESHCRON_FEATURE_FLAGS, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  };
  const app = new App(props);
  const stack = new MeshcronStack(app, MESHCRON_STACK_NAME, {
    description: 'Meshcron: scheduler for SQLMesh-format projects',
    ...options.stackProps,
  });
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
