import { Duration, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeWildcardResource, arnFindingResource } from '../nag/acknowledge-wildcard';

/** Key prefix of project bundles in the bucket; the API hands out upload URLs below it. */
export const BUNDLE_KEY_PREFIX = 'bundles/';

/**
 * The S3 bucket for project bundles (the files of a project at plan time) and the bucket receiving its
 * server access logs. Bundles are small and not secret beyond the account, so S3-managed encryption is
 * enough and keeps presigned uploads free of KMS permissions. Versioned so a plan can always be traced to
 * the exact bundle it applied, even after a later upload overwrites the key.
 */
export class BundleBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  private readonly acknowledged = new Set<IConstruct>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the access log destination itself; logging it would log its own log deliveries.',
    });

    this.bucket = new Bucket(this, 'Bundles', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'bundles/',
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /**
   * The ARN pattern of every bundle object. A wildcard because bundle keys are minted per plan; it is
   * limited to this bucket and prefix, and acknowledged to cdk-nag on the grantee's principal.
   */
  private bundleObjectsArn(grantee: IGrantable): string {
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal) && !this.acknowledged.has(principal)) {
      this.acknowledged.add(principal);
      acknowledgeWildcardResource(
        principal,
        arnFindingResource(this.bucket, `/${BUNDLE_KEY_PREFIX}*`),
        'Bundle object keys are created per plan at run time; the grant is limited to the bundles/ prefix of this one bucket.',
      );
    }
    return this.bucket.arnForObjects(`${BUNDLE_KEY_PREFIX}*`);
  }

  /** Lets `grantee` read bundles (s3:GetObject, any version). */
  grantReadBundles(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [this.bundleObjectsArn(grantee)],
    });
  }

  /** Lets `grantee` write bundles (s3:PutObject), e.g. to sign upload URLs for clients. */
  grantWriteBundles(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.bundleObjectsArn(grantee)] });
  }
}
