import { EncryptionType } from "../mixpanel";

/** One Mixpanel project that exports into the bucket. */
export interface MixpanelProject {
  /** The project token: the external ID Mixpanel presents when it assumes the role. */
  readonly token: string;
  /**
   * The Mixpanel project ID: the first folder of every key Mixpanel writes for this project.
   * @default - none; prefix scoping and event lifecycle rules then cannot be used
   */
  readonly projectId?: string;
  /**
   * With one role per project (`rolePerProject`): the name of this project's role, e.g. the name of a role
   * made by hand that is adopted, so that it keeps its name and ARN. Only with per-project roles.
   * @default - `<roleName>-<projectId>`, or `<roleName>-<token>` when no project ID is given
   */
  readonly roleName?: string;
}

/** What the construct manages on a bucket it did not create. */
export type ExistingBucketManagement = "none" | "encryption" | "all";
export const EXISTING_BUCKET_MANAGEMENT: readonly ExistingBucketManagement[] = ["none", "encryption", "all"];

/** What can be adopted: taken under management through Terraform import blocks instead of being created. */
export type AdoptedResource = "bucket" | "role";
export const ADOPTABLE_RESOURCES: readonly AdoptedResource[] = ["bucket", "role"];

/** Storage classes S3 lifecycle rules can move objects to. */
export const EVENT_STORAGE_CLASSES = [
  "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE",
] as const;
export type EventStorageClass = (typeof EVENT_STORAGE_CLASSES)[number];

export interface MixpanelS3ExportProps {
  // --- What Mixpanel exports, and where ---
  /** The Mixpanel projects exporting into the bucket (at least one). */
  readonly projects: readonly MixpanelProject[];
  /** Name of the bucket Mixpanel writes to. */
  readonly bucketName: string;
  /**
   * Region of the bucket; reported to Mixpanel as Region. It must be the region of the AWS provider the construct's
   * resources use: a `data "aws_region"` (read from the provider's configuration, no API call, so plans stay
   * offline) refuses any other at plan. A region given as a Terraform token is not checked.
   */
  readonly region: string;
  /**
   * Create the bucket. When false the bucket must exist; only the policies and roles are created.
   * @default true
   */
  readonly createBucket?: boolean;
  /**
   * With `createBucket: false`: what to manage on the existing bucket. `none`: nothing; `encryption`: its
   * default encryption; `all`: encryption, security defaults and lifecycle, as for a created bucket.
   * @default "none"
   */
  readonly manageExistingBucket?: ExistingBucketManagement;

  /**
   * What of a set-up made by hand to import instead of creating: `bucket` (the bucket named `bucketName`,
   * with its default encryption, public access block and ownership controls) and `role` (the role named
   * `roleName` on `rolePath`, so its ARN, which Mixpanel knows, stays the same). Through Terraform import
   * blocks (Terraform 1.5+), so adoption is a plan to review.
   * @default [] - nothing is imported: everything is created
   */
  readonly adopt?: readonly AdoptedResource[];

  // --- Encryption at rest ---
  /**
   * Default encryption, in the words of Mixpanel's Encryption dropdown.
   * @default "NONE" - the bucket keeps S3's own default
   */
  readonly encryption?: EncryptionType;
  /**
   * With KMS: ARN of an existing customer managed key in the bucket's region.
   * @default - the AWS-managed aws/s3 key (unless createKmsKey)
   */
  readonly kmsKeyArn?: string;
  /**
   * With KMS: create a customer managed key for the bucket.
   * @default false
   */
  readonly createKmsKey?: boolean;
  /**
   * With KMS: turn on S3 Bucket Keys.
   * @default true
   */
  readonly bucketKey?: boolean;

  // --- Roles ---
  /**
   * One role per project, each trusting only its own token.
   * @default false - one role trusting every token
   */
  readonly rolePerProject?: boolean;
  /**
   * With per-project roles and project IDs: limit each role to `<bucket>/<project id>/`. Stricter than Mixpanel's page.
   * @default false
   */
  readonly scopeToProjectPrefix?: boolean;
  /**
   * Name of the role; with per-project roles, the stem of each role's name.
   * @default `${namePrefix}mixpanel-export`
   */
  readonly roleName?: string;
  /**
   * IAM path of the roles and policies.
   * @default "/"
   */
  readonly rolePath?: string;
  /**
   * ARN of the permissions boundary policy of the roles.
   * @default - no permissions boundary
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Maximum session duration of the roles, in seconds (3600-43200).
   * @default 3600
   */
  readonly maxSessionDuration?: number;
  /**
   * Prefix of every name the construct derives (roles, policies, KMS alias).
   * @default ""
   */
  readonly namePrefix?: string;
  /**
   * Tags for every taggable resource; merged with the provider's default_tags (these win).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;

  // --- Security defaults ---
  /**
   * Turn on all four S3 Block Public Access settings.
   * @default true
   */
  readonly blockPublicAccess?: boolean;
  /**
   * Object Ownership BucketOwnerEnforced (ACLs disabled).
   * @default true
   */
  readonly enforceBucketOwner?: boolean;
  /**
   * Bucket policy that denies every request without TLS.
   * @default true
   */
  readonly tlsOnly?: boolean;
  /**
   * Terraform prevent_destroy on the bucket, a created KMS key and a created Glue database.
   * @default true
   */
  readonly preventDestroy?: boolean;

  // --- Storage over time ---
  /**
   * Abort incomplete multipart uploads after this many days; 0 turns the rule off.
   * @default 7
   */
  readonly abortIncompleteUploadsDays?: number;
  /**
   * Move event files to `eventsStorageClass` after this many days (needs project IDs).
   * @default - never
   */
  readonly eventsTransitionDays?: number;
  /**
   * Storage class event files move to.
   * @default "STANDARD_IA"
   */
  readonly eventsStorageClass?: EventStorageClass;
  /**
   * Delete event files after this many days (needs project IDs).
   * @default - never
   */
  readonly eventsExpirationDays?: number;
  /**
   * Turn on S3 versioning.
   * @default false
   */
  readonly versioning?: boolean;
  /**
   * With versioning: delete noncurrent versions after this many days.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Existing bucket that receives the server access logs.
   * @default - no access logging
   */
  readonly accessLogBucket?: string;
  /**
   * Key prefix of the access logs.
   * @default `${bucketName}/`
   */
  readonly accessLogPrefix?: string;

  // --- Redshift Spectrum and the Glue catalog ---
  /**
   * Name of the Glue database in which Mixpanel keeps one table per data source (its Redshift Spectrum
   * destination; Athena can query it too). Setting it adds the Glue role Mixpanel assumes, and the database.
   * @default - no Glue catalog, no Glue or Redshift role
   */
  readonly glueDatabase?: string;
  /**
   * With `glueDatabase`: create the database. When false a database of that name must exist in the bucket's region.
   * @default true
   */
  readonly createGlueDatabase?: boolean;
  /**
   * With `glueDatabase`: limit the Glue role to the catalog, that database and its tables. False gives Mixpanel's
   * page's `"*"`. Stricter than Mixpanel's page.
   * @default true
   */
  readonly glueScopeToDatabase?: boolean;
  /**
   * With `glueDatabase`: create the role Mixpanel and Redshift use to query the exports (Mixpanel's Redshift role).
   * @default false
   */
  readonly redshiftRole?: boolean;
}

/** The props with every default filled in. */
type OptionalProps = "kmsKeyArn" | "permissionsBoundaryArn" | "eventsTransitionDays" | "eventsExpirationDays" | "accessLogBucket" | "glueDatabase";
export type ResolvedProps = Required<Omit<MixpanelS3ExportProps, OptionalProps>> & Pick<MixpanelS3ExportProps, OptionalProps>;

export function withDefaults(props: MixpanelS3ExportProps): ResolvedProps {
  const namePrefix = props.namePrefix ?? "";
  return {
    createBucket: true,
    manageExistingBucket: "none",
    adopt: [],
    encryption: "NONE",
    createKmsKey: false,
    bucketKey: true,
    rolePerProject: false,
    scopeToProjectPrefix: false,
    rolePath: "/",
    maxSessionDuration: 3600,
    tags: {},
    blockPublicAccess: true,
    enforceBucketOwner: true,
    tlsOnly: true,
    preventDestroy: true,
    abortIncompleteUploadsDays: 7,
    eventsStorageClass: "STANDARD_IA",
    versioning: false,
    noncurrentVersionExpirationDays: 30,
    accessLogPrefix: `${props.bucketName}/`,
    createGlueDatabase: true,
    glueScopeToDatabase: true,
    redshiftRole: false,
    ...withoutUndefined(props),
    projects: props.projects,
    bucketName: props.bucketName,
    region: props.region,
    namePrefix,
    roleName: props.roleName ?? `${namePrefix}mixpanel-export`,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
