import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, type IChainable, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SchedulerError } from '../../shared/src/errors';
import { acknowledgeWildcardResource, arnFindingResource } from '../nag/acknowledge-wildcard';
import type { HandlerName } from '../handlers';
import { JOB_TIMEOUT_HOURS } from '../state-machines/names';
import { createPlanDefinition } from '../state-machines/plan-definition';
import { createRunJobDefinition } from '../state-machines/run-job-definition';

/** Props of {@link Orchestration}. */
export interface OrchestrationProps {
  readonly namePrefix: string;
  readonly maxConcurrency: number;
  readonly logRetentionDays: number;
  readonly functions: Readonly<Record<HandlerName, IFunction>>;
}

/**
 * The two Standard state machines: run jobs (`<prefix>-run-job`) and plan applications (`<prefix>-plan`).
 * Standard, not Express: a run can take hours (Express stops at 5 minutes) and Standard executes each
 * state exactly once where asynchronous Express may repeat one. Every event is logged (with data: the
 * states carry IDs only) and traced with X-Ray.
 */
export class Orchestration extends Construct {
  readonly runJob: StateMachine;
  readonly planApplication: StateMachine;
  private readonly machineNames = new Map<StateMachine, string>();

  constructor(scope: Construct, id: string, props: OrchestrationProps) {
    super(scope, id);
    const fn = props.functions;
    const runJobFunctions = [fn['prepare-run'], fn['execute-batches'], fn['finish-run']];
    this.runJob = this.createMachine('RunJob', `${props.namePrefix}-run-job`, props, runJobFunctions, (definitionScope) =>
      createRunJobDefinition(definitionScope, 'RunJobDefinition', {
        prepareRun: fn['prepare-run'],
        executeBatches: fn['execute-batches'],
        finishRun: fn['finish-run'],
        maxConcurrency: props.maxConcurrency,
      }),
    );
    const planFunctions = [fn['prepare-plan'], fn['execute-batches'], fn['promote-plan']];
    this.planApplication = this.createMachine('Plan', `${props.namePrefix}-plan`, props, planFunctions, (definitionScope) =>
      createPlanDefinition(definitionScope, 'PlanDefinition', {
        preparePlan: fn['prepare-plan'],
        executeBatches: fn['execute-batches'],
        promotePlan: fn['promote-plan'],
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }

  /**
   * The ARN of `machine` built from its fixed name (`arn:<partition>:states:<region>:<account>:stateMachine:<name>`),
   * for places that must not reference the machine resource itself.
   */
  stateMachineArnOf(machine: StateMachine): string {
    const name = this.machineNames.get(machine);
    if (name === undefined) throw new SchedulerError(`state machine ${machine.node.path} does not belong to ${this.node.path}`);
    return Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  private createMachine(
    id: string,
    name: string,
    props: OrchestrationProps,
    invoked: readonly IFunction[],
    build: (scope: Construct) => IChainable,
  ): StateMachine {
    const logGroup = new LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const machine = new StateMachine(this, id, {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(build(this)),
      timeout: Duration.hours(JOB_TIMEOUT_HOURS),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    // The role's two kinds of wildcard resource, both added by CDK and both as narrow as IAM allows:
    // - `*`: CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery, ...) and X-Ray's
    //   PutTraceSegments/PutTelemetryRecords/GetSampling* support no resource-level permissions.
    // - `<function ARN>:*`: LambdaInvoke grants invoke on each function's versions and aliases too; the
    //   wildcard covers qualifiers of that one function only.
    acknowledgeWildcardResource(
      machine.role,
      '*',
      'CloudWatch Logs log delivery and X-Ray tracing actions have no resource-level permissions (AWS requires Resource "*").',
    );
    for (const fn of invoked) {
      acknowledgeWildcardResource(
        machine.role,
        arnFindingResource(fn, ':*'),
        'Invoke on the versions and aliases of this one task function, as the Step Functions Lambda integration grants it.',
      );
    }
    this.machineNames.set(machine, name);
    return machine;
  }
}
