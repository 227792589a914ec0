import { App } from 'aws-cdk-lib';
import { MeshcronConfigError } from '../../infra/config/config-error';
import { type MeshcronSettingsInput, resolveMeshcronSettings } from '../../infra/config/meshcron-settings';
import { SchedulerError } from '../../shared/src/errors';

const resolve = (context: Record<string, unknown>, input?: MeshcronSettingsInput) =>
  resolveMeshcronSettings(new App({ context }), input);

describe('resolveMeshcronSettings', () => {
  test('defaults: prefix meshcron, 4 workers, 30 days of logs, no e-mail, no VPC', () => {
    expect(resolve({})).toEqual({ namePrefix: 'meshcron', maxConcurrency: 4, logRetentionDays: 30 });
  });

  test.each([
    ['a number (cdk.json)', { maxConcurrency: 12 }, 12],
    ['a string (-c maxConcurrency=12)', { maxConcurrency: '12' }, 12],
    ['the lowest value', { maxConcurrency: '1' }, 1],
    ['the highest value', { maxConcurrency: 40 }, 40],
  ])('reads maxConcurrency given as %s', (_, context, expected) => {
    expect(resolve(context).maxConcurrency).toBe(expected);
  });

  test.each([
    ['comma-separated', 'subnet-0aaa1111, subnet-0bbb2222'],
    ['JSON array text', '["subnet-0aaa1111","subnet-0bbb2222"]'],
    ['array', ['subnet-0aaa1111', 'subnet-0bbb2222']],
  ])('reads subnet IDs given as %s', (_, subnetIds) => {
    expect(resolve({ vpcId: 'vpc-0123abcd', subnetIds }).network).toEqual({
      vpcId: 'vpc-0123abcd',
      subnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'],
      securityGroupIds: [],
    });
  });

  test('props win over context, empty context values count as absent', () => {
    expect(resolve({ namePrefix: 'ctx', maxConcurrency: '9', alarmEmail: '' }, { namePrefix: 'prop', maxConcurrency: 2 })).toEqual({
      namePrefix: 'prop',
      maxConcurrency: 2,
      logRetentionDays: 30,
    });
  });

  test('rejects values with the key, the value and what is allowed', () => {
    expect(() => resolve({ maxConcurrency: '0' })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'maxConcurrency' = "0": an integer from 1 to 40"`,
    );
    expect(() => resolve({ maxConcurrency: 2.5 })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'maxConcurrency' = 2.5: an integer from 1 to 40"`,
    );
    expect(() => resolve({ namePrefix: 'Meshcron_Prod' })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'namePrefix' = "Meshcron_Prod": lower-case letters, digits and -, starting with a letter, at most 20 characters"`,
    );
    expect(() => resolve({ alarmEmail: 'ops' })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'alarmEmail' = "ops": an e-mail address like ops@example.com"`,
    );
    expect(() => resolve({ logRetentionDays: 10 })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'logRetentionDays' = 10: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"`,
    );
  });

  test('rejects an incomplete or inconsistent network', () => {
    expect(() => resolve({ vpcId: 'vpc-0123abcd' })).toThrowErrorMatchingInlineSnapshot(
      `"missing setting 'subnetIds': at least one subnet ID of VPC vpc-0123abcd is required when 'vpcId' is set"`,
    );
    expect(() => resolve({ subnetIds: 'subnet-0aaa1111' })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'subnetIds' = "subnet-0aaa1111": only allowed together with 'vpcId'"`,
    );
    expect(() => resolve({ vpcId: 'vpc-0123abcd', subnetIds: 'subnet-0aaa1111,sg-0123abcd' })).toThrowErrorMatchingInlineSnapshot(
      `"invalid setting 'subnetIds' = "subnet-0aaa1111,sg-0123abcd": subnet IDs like subnet-0123abcd, as a list or comma-separated"`,
    );
    expect(() => resolve({ vpcId: 'vpc-0123abcd', subnetIds: '[subnet' })).toThrow(MeshcronConfigError);
  });

  test('the error is a SchedulerError named MeshcronConfigError', () => {
    let caught: unknown;
    try {
      resolve({ maxConcurrency: 'many' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchedulerError);
    expect((caught as Error).name).toBe('MeshcronConfigError');
  });
});
