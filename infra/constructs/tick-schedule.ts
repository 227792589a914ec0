import { Aws, Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource, arnFindingResource } from '../nag/acknowledge-wildcard';

/** Field of the tick event holding the schedule's intended time (ISO-8601, UTC); the tick handler reads it. */
export const TICK_TIME_FIELD = 'time';

/** Props of {@link TickSchedule}. */
export interface TickScheduleProps {
  readonly namePrefix: string;
  readonly tick: IFunction;
}

/**
 * An EventBridge Scheduler schedule invoking the tick handler every minute with `{time}` (its scheduled time,
 * ISO-8601 UTC), so the handler decides what is due from the intended tick instant rather than from when the
 * invocation happened to start. Two retries within the minute: a later tick would find the same work anyway.
 */
export class TickSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: TickScheduleProps) {
    super(scope, id);
    // Our own role rather than CDK's stack-wide singleton, so its one finding is acknowledged right here.
    const invoker = new Role(this, 'InvokerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Meshcron: lets EventBridge Scheduler invoke the tick handler',
    });
    acknowledgeWildcardResource(
      invoker,
      arnFindingResource(props.tick, ':*'),
      'The Scheduler Lambda target grants invoke on the tick function and its versions/aliases; the wildcard covers qualifiers of that one function only.',
    );
    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: `${props.namePrefix}-tick`,
      description: 'Meshcron: find due models and start runs',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(props.tick, {
        role: invoker,
        input: ScheduleTargetInput.fromObject({ [TICK_TIME_FIELD]: ContextAttribute.scheduledTime }),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }
}
