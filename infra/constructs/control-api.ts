import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES } from '../api-routes';

/**
 * One JSON line per request, from context variables HTTP APIs define (REST-only ones such as
 * `$context.resourcePath` are not available on API Gateway v2). `userArn` is the SigV4 caller.
 */
const HTTP_ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    sourceIp: '$context.identity.sourceIp',
    userArn: '$context.identity.userArn',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/** Props of {@link ControlApi}. */
export interface ControlApiProps {
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  readonly handler: IFunction;
}

/**
 * The control HTTP API (API Gateway v2): every route of {@link API_ROUTES} goes to the api handler and
 * requires IAM (SigV4) authorization; IAM is also the default authorizer, so a route added later without
 * one is not public by accident. Access logs go to their own log group.
 */
export class ControlApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ControlApiProps) {
    super(scope, id);
    const authorizer = new HttpIamAuthorizer();
    this.httpApi = new HttpApi(this, 'Api', {
      apiName: `${props.namePrefix}-api`,
      description: 'Meshcron control API (IAM authorization)',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${props.namePrefix}-api`,
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: HTTP_ACCESS_LOG_FORMAT },
      // The API starts runs and plans; a runaway client should hit a limit long before the account's.
      throttle: { rateLimit: 20, burstLimit: 40 },
    });
    const integration = new HttpLambdaIntegration('ApiHandler', props.handler);
    for (const route of API_ROUTES) {
      this.httpApi.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
    }
  }
}
