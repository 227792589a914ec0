import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { createMeshcronApp } from '../../infra/meshcron-app';
import { SKIP_BUNDLING } from './support/synth-meshcron';

interface ValidationReport {
  readonly pluginReports: { readonly pluginName: string; readonly violations: { readonly ruleName: string; readonly violatingConstructs: { readonly constructPath: string }[] }[] }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Builds the app with cdk-nag; `change` may add to the stack before synth. Returns the synth error and report. */
function synthWithNag(context: Record<string, unknown>, change?: (app: ReturnType<typeof createMeshcronApp>) => void) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshcron-nag-'));
  outdirs.push(outdir);
  const built = createMeshcronApp({ outdir, context: { ...SKIP_BUNDLING, ...context } });
  change?.(built);
  let error: unknown;
  try {
    built.app.synth();
  } catch (caught) {
    error = caught;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const violations = report.pluginReports.flatMap((plugin) => plugin.violations);
  return { built, error, violations };
}

describe('cdk-nag AWS Solutions checks', () => {
  test('the default stack synthesizes with no unacknowledged finding', () => {
    const { error, violations } = synthWithNag({});
    expect(violations).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('the stack with a private warehouse network and an alarm e-mail synthesizes with no unacknowledged finding', () => {
    const { error, violations } = synthWithNag({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0aaa1111,subnet-0bbb2222',
      alarmEmail: 'ops@example.com',
    });
    expect(violations).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('an unacknowledged finding fails the synth and is reported at its construct', () => {
    // Arrange / Act: a bucket without TLS enforcement or access logs.
    const { error, violations } = synthWithNag({}, ({ stack }) => {
      new Bucket(stack, 'Careless');
    });

    // Assert
    expect(error).toBeInstanceOf(Error);
    const careless = violations.filter((v) => v.violatingConstructs.some((c) => c.constructPath.startsWith('Meshcron/Careless/')));
    expect(careless.map((v) => v.ruleName).sort()).toEqual(['AwsSolutions-S1', 'AwsSolutions-S10']);
    expect(violations).toHaveLength(careless.length);
  });

  test('every acknowledgement carries a written reason', () => {
    const { built } = synthWithNag({});
    const acknowledgements = built.stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledgements) {
      expect(rule).toMatch(/AwsSolutions-(IAM4|IAM5|L1|S1)/);
      expect(reason.length).toBeGreaterThan(60);
    }
  });
});
