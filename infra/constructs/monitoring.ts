import { Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { HandlerName } from '../handlers';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../metric-names';

/** Period of every alarm and dashboard metric. */
const PERIOD = Duration.minutes(5);

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  readonly namePrefix: string;
  /** Encrypts the alarm topic. */
  readonly key: IKey;
  readonly alarmEmail?: string;
  /** State machines by label (`run-job`, `plan`), alarmed on failed and timed-out executions. */
  readonly stateMachines: Readonly<Record<string, StateMachine>>;
  /** Handler functions, alarmed on errors. */
  readonly functions: Readonly<Record<HandlerName, IFunction>>;
}

function customMetric(metricName: string, statistic: string, label: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic, period: PERIOD, label });
}

/**
 * The alarm topic (KMS-encrypted, TLS only, optional e-mail subscription), alarms on failed or timed-out
 * executions and on handler errors, and a dashboard of the custom metrics in namespace `Meshcron`.
 * Every alarm fires on a single occurrence: a failed run means data is late, which someone should know.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    this.topic = new Topic(this, 'Alarms', {
      topicName: `${props.namePrefix}-alarms`,
      displayName: 'Meshcron alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes to the encrypted topic with its own service principal, so the key policy must
    // let it use the key. In a key policy "*" means this key only; the source account condition keeps
    // other accounts' alarms out.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const [label, machine] of Object.entries(props.stateMachines)) {
      this.addAlarm(`${label}-executions-failed`, machine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
        `A ${label} execution failed (a batch, an audit or a handler failed).`);
      this.addAlarm(`${label}-executions-timed-out`, machine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
        `A ${label} execution ran into the state machine timeout (a worker may be stuck waiting).`);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.addAlarm(`${name}-errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        `The ${name} handler raised errors.`);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${props.namePrefix}-overview` });
    this.dashboard.addWidgets(
      this.graph('Runs', [
        customMetric(METRIC_NAMES.runsStarted, 'Sum', 'started'),
        customMetric(METRIC_NAMES.runsSucceeded, 'Sum', 'succeeded'),
        customMetric(METRIC_NAMES.runsFailed, 'Sum', 'failed'),
      ]),
      this.graph('Batches', [
        customMetric(METRIC_NAMES.batchesSucceeded, 'Sum', 'succeeded'),
        customMetric(METRIC_NAMES.batchesFailed, 'Sum', 'failed'),
        customMetric(METRIC_NAMES.batchesSkipped, 'Sum', 'skipped'),
      ]),
    );
    this.dashboard.addWidgets(
      this.graph('Batch duration (ms)', [
        customMetric(METRIC_NAMES.batchDuration, 'p50', 'p50'),
        customMetric(METRIC_NAMES.batchDuration, 'p90', 'p90'),
        customMetric(METRIC_NAMES.batchDuration, 'Maximum', 'max'),
      ]),
      this.graph('Models behind', [customMetric(METRIC_NAMES.modelsBehind, 'Maximum', 'models behind')]),
    );
    this.dashboard.addWidgets(
      this.graph(
        'Executions failed',
        Object.entries(props.stateMachines).map(([label, machine]) =>
          machine.metricFailed({ period: PERIOD, statistic: 'Sum', label })),
      ),
      this.graph(
        'Handler errors',
        Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: name })),
      ),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }

  private graph(title: string, metrics: IMetric[]): GraphWidget {
    return new GraphWidget({ title, left: metrics, width: 12 });
  }

  private addAlarm(name: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, name, {
      alarmName: `${this.namePrefix}-${name}`,
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
