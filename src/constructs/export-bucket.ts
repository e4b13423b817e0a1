import {
  S3Bucket,
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
  S3BucketLoggingA,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from "../cdk/aws";
import { Construct } from "constructs";
import { EVENT_DATA_FOLDER, projectPrefix } from "../mixpanel";
import { tlsOnlyBucketPolicy } from "../policies/mixpanel-policies";
import { renderPolicy } from "../policies/policy-document";
import { nonEmpty } from "./tags";

/** Default encryption of the bucket. */
export type BucketEncryption =
  | { readonly algorithm: "AES256" }
  /** `kmsKeyArn` undefined: the AWS-managed aws/s3 key. */
  | { readonly algorithm: "aws:kms"; readonly kmsKeyArn?: string | undefined; readonly bucketKey: boolean };

export interface ExportBucketProps {
  readonly bucketName: string;
  /** Create the bucket; when false it exists and is only configured as the flags below say. */
  readonly create: boolean;
  /**
   * With `create`: import the bucket (made by hand) instead of creating it, and with it the configuration S3
   * keeps for every bucket made in the console (default encryption, public access block, ownership controls),
   * so the plan shows what changes. A bucket policy and lifecycle rules, which a bucket may lack, are written
   * as new ones, replacing the bucket's own.
   * @default false
   */
  readonly adopt?: boolean | undefined;
  /**
   * Default encryption to manage.
   * @default - left alone (S3's own default)
   */
  readonly encryption?: BucketEncryption | undefined;
  /** Manage the security defaults, versioning, lifecycle and logging below. */
  readonly manageConfig: boolean;
  readonly blockPublicAccess: boolean;
  readonly enforceBucketOwner: boolean;
  readonly tlsOnly: boolean;
  readonly preventDestroy: boolean;
  /** Days before incomplete multipart uploads are aborted; 0: never. */
  readonly abortIncompleteUploadsDays: number;
  /** Project IDs whose event folders the event rules below apply to. */
  readonly projectIds: readonly string[];
  /** @default - event files stay in STANDARD */
  readonly eventsTransition?: { readonly days: number; readonly storageClass: string } | undefined;
  /** @default - event files are kept forever */
  readonly eventsExpirationDays?: number | undefined;
  /** With versioning: days before noncurrent versions expire; undefined: versioning off. */
  readonly noncurrentVersionExpirationDays?: number | undefined;
  /** @default - no access logging */
  readonly accessLog?: { readonly bucket: string; readonly prefix: string } | undefined;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** The export bucket (created, or an existing one by name) and the bucket-level configuration this project manages. */
export class ExportBucket extends Construct {
  /** The created bucket; undefined for an existing bucket. */
  readonly bucket?: S3Bucket | undefined;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: ExportBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    if (props.create) {
      this.bucket = new S3Bucket(this, "bucket", {
        bucket: props.bucketName,
        forceDestroy: false,
        tags: nonEmpty(props.tags),
        lifecycle: { preventDestroy: props.preventDestroy },
      });
    }
    /** Imports what S3 keeps for every bucket, when adopting; the import ID of each is the bucket's name. */
    const adopted = <T extends { importFrom(id: string): void }>(resource: T): T => {
      if (props.adopt) resource.importFrom(props.bucketName);
      return resource;
    };
    if (this.bucket) adopted(this.bucket);
    // Every configuration resource names the bucket by reference when it is created here, so Terraform
    // orders them after it; an existing bucket is named as given.
    const bucket = this.bucket?.bucket ?? props.bucketName;

    if (props.encryption) {
      const byDefault = props.encryption.algorithm === "AES256"
        ? { sseAlgorithm: "AES256" }
        : { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.kmsKeyArn };
      adopted(new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
        bucket,
        rule: [{
          applyServerSideEncryptionByDefault: byDefault,
          bucketKeyEnabled: props.encryption.algorithm === "aws:kms" ? props.encryption.bucketKey : undefined,
        }],
      }));
    }
    if (!props.manageConfig) return;

    const publicAccessBlock = !props.blockPublicAccess ? undefined : adopted(new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }));
    if (props.enforceBucketOwner) {
      adopted(new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }));
    }
    if (props.tlsOnly) {
      // After the public access block: S3 refuses concurrent changes to a bucket's policy and its block settings.
      new S3BucketPolicy(this, "tls-only-policy", {
        bucket,
        policy: renderPolicy(tlsOnlyBucketPolicy(props.bucketName)),
        dependsOn: publicAccessBlock ? [publicAccessBlock] : undefined,
      });
    }
    let versioning: S3BucketVersioningA | undefined;
    if (props.noncurrentVersionExpirationDays !== undefined) {
      versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    }
    const rules = lifecycleRules(props);
    if (rules.length > 0) {
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket,
        rule: rules,
        // S3 wants versioning in place before rules on noncurrent versions.
        dependsOn: versioning ? [versioning] : undefined,
      });
    }
    if (props.accessLog) {
      new S3BucketLoggingA(this, "access-log", {
        bucket,
        targetBucket: props.accessLog.bucket,
        targetPrefix: props.accessLog.prefix,
      });
    }
  }
}

function lifecycleRules(props: ExportBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [];
  if (props.abortIncompleteUploadsDays > 0) {
    rules.push({
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadsDays }],
    });
  }
  if (props.eventsTransition || props.eventsExpirationDays !== undefined) {
    // Only event files: profiles and identity mappings are replaced in place by each export and must stay.
    for (const projectId of props.projectIds) {
      rules.push({
        id: `events-${projectId}`,
        status: "Enabled",
        filter: [{ prefix: `${projectPrefix(projectId)}${EVENT_DATA_FOLDER}/` }],
        transition: props.eventsTransition ? [{ ...props.eventsTransition }] : undefined,
        expiration: props.eventsExpirationDays !== undefined ? [{ days: props.eventsExpirationDays }] : undefined,
      });
    }
  }
  if (props.noncurrentVersionExpirationDays !== undefined) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
    });
  }
  return rules;
}
