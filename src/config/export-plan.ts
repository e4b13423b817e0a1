import { Token } from "../cdk/core";
import { EncryptionType, projectPrefix } from "../mixpanel";
import { MixpanelProject, ResolvedProps } from "./props";

/**
 * Which key encrypts the bucket, decided from three props (invalid combinations are rejected by the rules
 * before this runs):
 *
 * | encryption | kmsKeyArn | createKmsKey | key                | KMS policy for Mixpanel |
 * |------------|-----------|--------------|--------------------|-------------------------|
 * | NONE       | -         | false        | none (S3 default)  | no                      |
 * | AES        | -         | false        | S3-managed (AES256)| no                      |
 * | KMS        | -         | false        | AWS-managed aws/s3 | no                      |
 * | KMS        | key ARN   | false        | that customer key  | yes, on that key        |
 * | KMS        | -         | true         | a key created here | yes, on that key        |
 */
export type KeyChoice = "none" | "s3-managed" | "aws-managed" | "customer" | "created";

export function keyChoice(encryption: EncryptionType, kmsKeyArn: string | undefined, createKmsKey: boolean): KeyChoice {
  if (encryption === "AES") return "s3-managed";
  if (encryption !== "KMS") return "none";
  if (createKmsKey) return "created";
  return kmsKeyArn ? "customer" : "aws-managed";
}

/** One IAM role Mixpanel assumes, and the projects whose tokens it trusts. */
export interface RolePlan {
  /** Construct ID; part of the Terraform address, so it must never change for an existing role. */
  readonly id: string;
  /** With per-project roles: the project's {@link roleKey}, which also names its scoped data policy. */
  readonly key?: string | undefined;
  readonly name: string;
  readonly projects: readonly MixpanelProject[];
  /** With prefix scoping: the only key prefix the role may touch (`<project id>/`). */
  readonly keyPrefix?: string | undefined;
}

/** Every decision the construct takes from its props, as plain data (so rules and tests can use it). */
export interface ExportPlan {
  readonly roles: readonly RolePlan[];
  readonly keyChoice: KeyChoice;
  /** Bucket-level security defaults and lifecycle are managed. */
  readonly manageBucketConfig: boolean;
  /** The bucket's default encryption is managed. */
  readonly manageEncryption: boolean;
  readonly dataPolicyName: string;
  readonly kmsPolicyName: string;
  readonly kmsAliasName: string;
  /** The Glue catalog part (Mixpanel's Redshift Spectrum destination); undefined without `glueDatabase`. */
  readonly glue?: GluePlan;
}

/** Names of the Glue and Redshift roles and policies (MixpanelGlueCatalog's `names`). */
export interface GlueNames {
  readonly glueRoleName: string;
  readonly gluePolicyName: string;
  readonly redshiftRoleName: string;
  readonly redshiftPolicyName: string;
  readonly redshiftKmsPolicyName: string;
}

/** Names of the Glue and Redshift roles and policies, from the name prefix (the module passes `${var.name_prefix}`). */
export function glueNames(namePrefix: string): GlueNames {
  return {
    glueRoleName: `${namePrefix}mixpanel-glue`,
    gluePolicyName: `${namePrefix}mixpanel-glue-access`,
    redshiftRoleName: `${namePrefix}mixpanel-redshift`,
    redshiftPolicyName: `${namePrefix}mixpanel-redshift-access`,
    redshiftKmsPolicyName: `${namePrefix}mixpanel-redshift-kms`,
  };
}

/**
 * Descriptions of the Glue part's resources, shared by the construct and the module (which passes Terraform
 * interpolations for the names).
 */
export function glueDescriptions(bucketName: string, database: string) {
  return {
    database: `Mixpanel's exports in S3 bucket ${bucketName}: one table per data source, maintained by Mixpanel`,
    gluePolicy: (scoped: boolean) => `Lets Mixpanel's Glue role keep its tables in ${scoped ? `Glue database ${database} and its tables` : "every Glue database and table (Mixpanel's page)"} (Mixpanel Redshift Spectrum export)`,
    glueRole: `Assumed by Mixpanel's export user (no external ID, as Mixpanel documents it) to keep Mixpanel's tables in Glue database ${database}`,
    redshiftPolicy: `Lets Mixpanel and Redshift query Mixpanel's exports in S3 bucket ${bucketName} through Redshift Spectrum`,
    redshiftKmsPolicy: `Lets Mixpanel's Redshift role decrypt the export files in S3 bucket ${bucketName}`,
    redshiftRole: `Assumed by Mixpanel's export user and Redshift (no external ID, as Mixpanel documents it) to query Mixpanel's exports in S3 bucket ${bucketName}`,
  };
}

export interface GluePlan {
  readonly database: string;
  /** Create the database (else it exists). */
  readonly createDatabase: boolean;
  /** The Glue role's statement names the catalog, the database and its tables, not `"*"`. */
  readonly scopeToDatabase: boolean;
  /** Create the Redshift role. */
  readonly redshiftRole: boolean;
  readonly names: GlueNames;
}

export function planExport(props: ResolvedProps): ExportPlan {
  const manageBucketConfig = props.createBucket || props.manageExistingBucket === "all";
  return {
    roles: planRoles(props),
    keyChoice: keyChoice(props.encryption, props.kmsKeyArn, props.createKmsKey),
    manageBucketConfig,
    manageEncryption: manageBucketConfig || props.manageExistingBucket === "encryption",
    dataPolicyName: `${props.namePrefix}mixpanel-export-data-access`,
    kmsPolicyName: `${props.namePrefix}mixpanel-export-kms`,
    kmsAliasName: `alias/${props.namePrefix}mixpanel-export`,
    glue: props.glueDatabase ? {
      database: props.glueDatabase,
      createDatabase: props.createGlueDatabase,
      scopeToDatabase: props.glueScopeToDatabase,
      redshiftRole: props.redshiftRole,
      names: glueNames(props.namePrefix),
    } : undefined,
  };
}

/**
 * The part of a per-project role's Terraform address that names its project: the given key, else the literal
 * token (the addresses of every release so far), else the literal project ID. Never a position, so removing one
 * project does not rename (and so replace) the others' roles; never a Terraform token, whose text depends on
 * the order in which tokens were created. Undefined where there is none (the rules refuse that).
 */
export function roleKey(project: MixpanelProject): string | undefined {
  if (project.key !== undefined) return project.key;
  if (typeof project.token === "string" && !Token.isUnresolved(project.token)) return project.token;
  if (typeof project.projectId === "string" && project.projectId !== "" && !Token.isUnresolved(project.projectId)) return project.projectId;
  return undefined;
}

function planRoles(props: ResolvedProps): RolePlan[] {
  if (!props.rolePerProject) return [{ id: "role", name: props.roleName, projects: props.projects }];
  return props.projects.map((project) => ({
    id: `role-${roleKey(project)}`,
    key: roleKey(project),
    name: project.roleName ?? `${props.roleName}-${project.projectId ?? project.token}`,
    projects: [project],
    keyPrefix: props.scopeToProjectPrefix && project.projectId ? projectPrefix(project.projectId) : undefined,
  }));
}

/** Name of the prefix-scoped data policy of one role. */
export function scopedDataPolicyName(plan: ExportPlan, role: RolePlan): string {
  return `${plan.dataPolicyName}-${role.projects[0].projectId}`;
}

/** A name an export makes in AWS, which no other export of the app may make in the same scope. */
export interface NameClaim {
  /** What the name names, in a message's words: `IAM role`. */
  readonly kind: "S3 bucket" | "IAM role" | "IAM policy" | "KMS alias" | "Glue database";
  readonly name: string;
  /** Where AWS keeps the name unique: all of AWS (buckets), the account (IAM), or the account's region. */
  readonly scope: "global" | "account" | "region";
  /** The prop that changes the name, which a clash's message names, and its value. */
  readonly prop: "bucketName" | "roleName" | "projects[].roleName" | "namePrefix" | "glueDatabase";
  readonly value: string;
  readonly fix: string;
}

const PREFIX_FIX = 'give one of them a namePrefix, e.g. namePrefix: "events-" (it prefixes every name the export derives)';

/**
 * The names an export makes, known at synth (names that are Terraform values are left out: only plan can
 * tell). The bucket counts where the export creates or configures it: two exports may share a bucket they
 * only refer to.
 */
export function claimedNames(props: ResolvedProps, plan: ExportPlan): NameClaim[] {
  const claims: NameClaim[] = [];
  const claim = (kind: NameClaim["kind"], name: string, scope: NameClaim["scope"], prop: NameClaim["prop"], fix = PREFIX_FIX, value = props.namePrefix) => {
    if (!Token.isUnresolved(name)) claims.push({ kind, name, scope, prop, value, fix });
  };
  if (props.createBucket || props.manageExistingBucket !== "none") {
    claim("S3 bucket", props.bucketName, "global", "bucketName", "give each export its own bucketName", props.bucketName);
  }
  for (const role of plan.roles) {
    const ownName = role.projects.length === 1 && role.projects[0].roleName !== undefined && props.rolePerProject;
    claim("IAM role", role.name, "account", ownName ? "projects[].roleName" : "roleName",
      ownName ? "give each project's role its own roleName" : `${PREFIX_FIX}, or its own roleName`, ownName ? role.name : props.roleName);
    if (role.keyPrefix !== undefined) claim("IAM policy", scopedDataPolicyName(plan, role), "account", "namePrefix");
  }
  if (plan.roles.some((role) => role.keyPrefix === undefined)) claim("IAM policy", plan.dataPolicyName, "account", "namePrefix");
  if (plan.keyChoice === "created" || plan.keyChoice === "customer") claim("IAM policy", plan.kmsPolicyName, "account", "namePrefix");
  if (plan.keyChoice === "created") claim("KMS alias", plan.kmsAliasName, "region", "namePrefix");
  if (plan.glue) {
    if (plan.glue.createDatabase) claim("Glue database", plan.glue.database, "region", "glueDatabase", "give each export its own glueDatabase", plan.glue.database);
    const names = plan.glue.names;
    claim("IAM role", names.glueRoleName, "account", "namePrefix");
    claim("IAM policy", names.gluePolicyName, "account", "namePrefix");
    if (plan.glue.redshiftRole) {
      claim("IAM role", names.redshiftRoleName, "account", "namePrefix");
      claim("IAM policy", names.redshiftPolicyName, "account", "namePrefix");
      if (plan.keyChoice === "created" || plan.keyChoice === "customer") claim("IAM policy", names.redshiftKmsPolicyName, "account", "namePrefix");
    }
  }
  return claims;
}
