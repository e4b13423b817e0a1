import type { AwsProvider } from "../cdk/aws";
import { EncryptionType } from "../mixpanel";

/** One Mixpanel project that exports into the bucket. */
export interface MixpanelProject {
  /** The project token: the external ID Mixpanel presents when it assumes the role. */
  readonly token: string;
  /**
   * The Mixpanel project ID: the first folder of every key Mixpanel writes for this project.
   * @default - none; prefix scoping and event lifecycle rules then cannot be used
   */
  readonly projectId?: string | undefined;
  /**
   * With one role per project (`rolePerProject`): the name of this project's role, e.g. the name of a role
   * made by hand that is adopted, so that it keeps its name and ARN. Only with per-project roles.
   * @default - `<roleName>-<projectId>`, or `<roleName>-<token>` when no project ID is given
   */
  readonly roleName?: string | undefined;
  /**
   * With one role per project (`rolePerProject`): names this project's role in Terraform (part of its address,
   * so it must never change). Needed only when the token and the project ID are both Terraform values, whose
   * order of creation would otherwise decide the address.
   * @default - the literal token (today's addresses), else the literal project ID
   */
  readonly key?: string | undefined;
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
   * Region of the bucket; reported to Mixpanel as Region. It must be the region of the AWS provider the
   * construct's resources use: a region that disagrees with the provider's literal region fails at synth, and
   * where either is a Terraform value a `data "aws_region"` (read from the provider's configuration, no API
   * call, so plans stay offline) refuses any other at plan.
   * @default - the provider's region (`provider`, else the stack's default AWS provider); where the provider
   * names none, the region it is configured with at plan
   */
  readonly region?: string | undefined;
  /**
   * The AWS provider of every resource and data source of the construct, e.g. an aliased provider of another
   * region or account. It must be in the construct's stack.
   * @default - the stack's default AWS provider
   */
  readonly provider?: AwsProvider | undefined;
  /**
   * Create the bucket. When false the bucket must exist; only the policies and roles are created.
   * @default true
   */
  readonly createBucket?: boolean | undefined;
  /**
   * With `createBucket: false`: what to manage on the existing bucket. `none`: nothing; `encryption`: its
   * default encryption; `all`: encryption, security defaults and lifecycle, as for a created bucket.
   * @default "none"
   */
  readonly manageExistingBucket?: ExistingBucketManagement | undefined;

  /**
   * What of a set-up made by hand to import instead of creating: `bucket` (the bucket named `bucketName`,
   * with its default encryption, public access block and ownership controls) and `role` (the role named
   * `roleName` on `rolePath`, so its ARN, which Mixpanel knows, stays the same). Through Terraform import
   * blocks (Terraform 1.5+), so adoption is a plan to review.
   * @default [] - nothing is imported: everything is created
   */
  readonly adopt?: readonly AdoptedResource[] | undefined;

  // --- Encryption at rest ---
  /**
   * Default encryption, in the words of Mixpanel's Encryption dropdown.
   * @default "NONE" - the bucket keeps S3's own default
   */
  readonly encryption?: EncryptionType | undefined;
  /**
   * With KMS: ARN of an existing customer managed key in the bucket's region.
   * @default - the AWS-managed aws/s3 key (unless createKmsKey)
   */
  readonly kmsKeyArn?: string | undefined;
  /**
   * With KMS: create a customer managed key for the bucket.
   * @default false
   */
  readonly createKmsKey?: boolean | undefined;
  /**
   * With KMS: turn on S3 Bucket Keys.
   * @default true
   */
  readonly bucketKey?: boolean | undefined;

  // --- Roles ---
  /**
   * One role per project, each trusting only its own token.
   * @default false - one role trusting every token
   */
  readonly rolePerProject?: boolean | undefined;
  /**
   * With per-project roles and project IDs: limit each role to `<bucket>/<project id>/`. Stricter than Mixpanel's page.
   * @default false
   */
  readonly scopeToProjectPrefix?: boolean | undefined;
  /**
   * Name of the role; with per-project roles, the stem of each role's name.
   * @default `${namePrefix}mixpanel-export`
   */
  readonly roleName?: string | undefined;
  /**
   * IAM path of the roles and policies.
   * @default "/"
   */
  readonly rolePath?: string | undefined;
  /**
   * ARN of the permissions boundary policy of the roles.
   * @default - no permissions boundary
   */
  readonly permissionsBoundaryArn?: string | undefined;
  /**
   * Maximum session duration of the roles, in seconds (3600-43200).
   * @default 3600
   */
  readonly maxSessionDuration?: number | undefined;
  /**
   * Prefix of every name the construct derives (roles, policies, KMS alias).
   * @default ""
   */
  readonly namePrefix?: string | undefined;
  /**
   * Tags for every taggable resource; merged with the provider's default_tags (these win).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>> | undefined;

  // --- Security defaults ---
  /**
   * Turn on all four S3 Block Public Access settings.
   * @default true
   */
  readonly blockPublicAccess?: boolean | undefined;
  /**
   * Object Ownership BucketOwnerEnforced (ACLs disabled).
   * @default true
   */
  readonly enforceBucketOwner?: boolean | undefined;
  /**
   * Bucket policy that denies every request without TLS.
   * @default true
   */
  readonly tlsOnly?: boolean | undefined;
  /**
   * Terraform prevent_destroy on the bucket, a created KMS key and a created Glue database.
   * @default true
   */
  readonly preventDestroy?: boolean | undefined;

  // --- Storage over time ---
  /**
   * Abort incomplete multipart uploads after this many days; 0 turns the rule off.
   * @default 7
   */
  readonly abortIncompleteUploadsDays?: number | undefined;
  /**
   * Move event files to `eventsStorageClass` after this many days (needs project IDs).
   * @default - never
   */
  readonly eventsTransitionDays?: number | undefined;
  /**
   * Storage class event files move to.
   * @default "STANDARD_IA"
   */
  readonly eventsStorageClass?: EventStorageClass | undefined;
  /**
   * Delete event files after this many days (needs project IDs).
   * @default - never
   */
  readonly eventsExpirationDays?: number | undefined;
  /**
   * Turn on S3 versioning.
   * @default false
   */
  readonly versioning?: boolean | undefined;
  /**
   * With versioning: delete noncurrent versions after this many days.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number | undefined;
  /**
   * Existing bucket that receives the server access logs.
   * @default - no access logging
   */
  readonly accessLogBucket?: string | undefined;
  /**
   * Key prefix of the access logs.
   * @default `${bucketName}/`
   */
  readonly accessLogPrefix?: string | undefined;

  // --- Redshift Spectrum and the Glue catalog ---
  /**
   * Name of the Glue database in which Mixpanel keeps one table per data source (its Redshift Spectrum
   * destination; Athena can query it too). Setting it adds the Glue role Mixpanel assumes, and the database.
   * @default - no Glue catalog, no Glue or Redshift role
   */
  readonly glueDatabase?: string | undefined;
  /**
   * With `glueDatabase`: create the database. When false a database of that name must exist in the bucket's region.
   * @default true
   */
  readonly createGlueDatabase?: boolean | undefined;
  /**
   * With `glueDatabase`: limit the Glue role to the catalog, that database and its tables. False gives Mixpanel's
   * page's `"*"`. Stricter than Mixpanel's page.
   * @default true
   */
  readonly glueScopeToDatabase?: boolean | undefined;
  /**
   * With `glueDatabase`: create the role Mixpanel and Redshift use to query the exports (Mixpanel's Redshift role).
   * @default false
   */
  readonly redshiftRole?: boolean | undefined;
}

/** The props with every default filled in. */
type OptionalProps = "provider" | "kmsKeyArn" | "permissionsBoundaryArn" | "eventsTransitionDays" | "eventsExpirationDays" | "accessLogBucket" | "glueDatabase";
export type ResolvedProps = { readonly [K in Exclude<keyof MixpanelS3ExportProps, OptionalProps>]-?: Exclude<MixpanelS3ExportProps[K], undefined> } &
  Pick<MixpanelS3ExportProps, OptionalProps>;

/** The props with every default filled in; props missing altogether (from JavaScript) read as `{}`, for the rules to report. */
export function withDefaults(given: MixpanelS3ExportProps): ResolvedProps {
  const props: Partial<MixpanelS3ExportProps> = given ?? {};
  // Defaults replace only what is not given: a null stays, for the rules to report.
  const namePrefix = props.namePrefix === undefined ? "" : props.namePrefix;
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
    projects: props.projects!,
    bucketName: props.bucketName!,
    region: props.region!,
    namePrefix,
    roleName: props.roleName === undefined ? `${namePrefix}mixpanel-export` : props.roleName,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
