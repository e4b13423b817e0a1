/**
 * Facts about Mixpanel's side of the export, from Mixpanel's "AWS S3" page and its data-pipeline docs.
 * Kept in one place so a change on Mixpanel's side is a one-line change here.
 */

/** The AWS account Mixpanel exports from. */
export const MIXPANEL_AWS_ACCOUNT_ID = "485438090326";

/** The IAM user Mixpanel's exporter runs as; the only principal a trust policy may name. */
export const MIXPANEL_EXPORT_PRINCIPAL_ARN = `arn:aws:iam::${MIXPANEL_AWS_ACCOUNT_ID}:user/mixpanel-export`;

/** Regions Mixpanel lists as supported for S3 exports (cn-* regions cannot trust Mixpanel's principal). */
export const MIXPANEL_SUPPORTED_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
  "ca-central-1", "cn-north-1", "cn-northwest-1",
  "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
  "sa-east-1", "me-south-1",
];

/**
 * The words of the "Encryption" dropdown in Mixpanel's pipeline form.
 * NONE: no at-rest encryption chosen; AES: SSE-S3; KMS: SSE-KMS.
 */
export type EncryptionType = "NONE" | "AES" | "KMS";
export const ENCRYPTION_TYPES: readonly EncryptionType[] = ["NONE", "AES", "KMS"];

/** The folder under a project's prefix where Mixpanel writes event files (`<project id>/mp_master_event/...`). */
export const EVENT_DATA_FOLDER = "mp_master_event";

/** Key prefix under which Mixpanel writes one project's files: `<project id>/`. */
export function projectPrefix(projectId: string): string {
  return `${projectId}/`;
}
