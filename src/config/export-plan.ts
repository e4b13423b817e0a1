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
  readonly name: string;
  readonly projects: readonly MixpanelProject[];
  /** With prefix scoping: the only key prefix the role may touch (`<project id>/`). */
  readonly keyPrefix?: string;
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
  };
}

function planRoles(props: ResolvedProps): RolePlan[] {
  if (!props.rolePerProject) return [{ id: "role", name: props.roleName, projects: props.projects }];
  return props.projects.map((project) => ({
    // Keyed by token, not position: removing one project must not rename (and so replace) the others' roles.
    id: `role-${project.token}`,
    name: project.roleName ?? `${props.roleName}-${project.projectId ?? project.token}`,
    projects: [project],
    keyPrefix: props.scopeToProjectPrefix && project.projectId ? projectPrefix(project.projectId) : undefined,
  }));
}

/** Name of the prefix-scoped data policy of one role. */
export function scopedDataPolicyName(plan: ExportPlan, role: RolePlan): string {
  return `${plan.dataPolicyName}-${role.projects[0].projectId}`;
}
