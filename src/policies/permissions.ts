/**
 * The permission lists of Mixpanel's "AWS S3" page, in the page's order. Named here so constructs,
 * the Terraform-module build and the tests share one copy.
 */

/** Step 1, "Data Modification Policy": what Mixpanel's exporter does in the bucket. */
export const MIXPANEL_S3_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"] as const;

/** The object-level part of {@link MIXPANEL_S3_ACTIONS} (used when access is scoped to a project prefix). */
export const MIXPANEL_S3_OBJECT_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] as const;

/** The bucket-level part of {@link MIXPANEL_S3_ACTIONS}. */
export const MIXPANEL_S3_BUCKET_ACTIONS = ["s3:ListBucket"] as const;

/** Step 2, "Using Custom Key": what Mixpanel's exporter does with a customer managed KMS key. */
export const MIXPANEL_KMS_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:ReEncryptTo",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
  "kms:ReEncryptFrom",
] as const;

/** Statement IDs exactly as Mixpanel's page spells them. */
export const S3_ACCESS_SID = "MixpanelS3AccessStatement";
export const KMS_ACCESS_SID = "MixpanelKmsStatement";
/** Statement IDs of the prefix-scoped variant (stricter than Mixpanel's page; see README). */
export const S3_PREFIX_OBJECT_SID = "MixpanelS3PrefixObjectStatement";
export const S3_PREFIX_LIST_SID = "MixpanelS3PrefixListStatement";
/** Statement ID of the bucket policy that refuses requests without TLS. */
export const DENY_INSECURE_TRANSPORT_SID = "DenyInsecureTransport";

/**
 * Mixpanel's Redshift Spectrum page, "Glue" role: what Mixpanel does in the Glue Data Catalog to create and
 * update one table per data source, partitioned by `mp_date` (15 actions, in the page's order).
 */
export const MIXPANEL_GLUE_ACTIONS = [
  "glue:GetDatabase",
  "glue:CreateTable",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetTableVersions",
  "glue:UpdateTable",
  "glue:DeleteTable",
  "glue:GetPartition",
  "glue:CreatePartition",
  "glue:DeletePartition",
  "glue:UpdatePartition",
  "glue:BatchCreatePartition",
  "glue:GetPartitions",
  "glue:BatchDeletePartition",
  "glue:BatchGetPartition",
] as const;

/** The Redshift role's first statement: running SQL through the Data API, on a cluster or a Serverless workgroup. */
export const MIXPANEL_REDSHIFT_ACTIONS = [
  "redshift-data:GetStatementResult",
  "redshift-data:DescribeStatement",
  "redshift-data:BatchExecuteStatement",
  "redshift-data:ExecuteStatement",
  "redshift-serverless:GetCredentials",
  "redshift-serverless:GetWorkgroup",
  "redshift:GetClusterCredentialsWithIAM",
  "redshift:GetClusterCredentials",
] as const;

/** The Redshift role's second statement: reading the catalog Mixpanel's Glue role maintains. */
export const MIXPANEL_REDSHIFT_GLUE_ACTIONS = [
  "glue:GetDatabase",
  "glue:GetDatabases",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetPartition",
  "glue:GetPartitions",
] as const;

/** The Redshift role's third statement: reading the export files (only these two of the four S3 actions). */
export const MIXPANEL_REDSHIFT_S3_ACTIONS = ["s3:GetObject", "s3:ListBucket"] as const;

/** Reading SSE-KMS objects encrypted with a customer managed key (not on Mixpanel's page: AWS requires it). */
export const REDSHIFT_KMS_ACTIONS = ["kms:Decrypt"] as const;

/** Statement IDs of the Redshift Spectrum page, exactly as it spells them (the S3 statement reuses {@link S3_ACCESS_SID}). */
export const GLUE_ACCESS_SID = "MixpanelGlueAccessStatement";
export const REDSHIFT_ACCESS_SID = "MixpanelRedshiftAccessStatement";
/** Statement ID of the Redshift role's `kms:Decrypt` grant (ours, not the page's: see README). */
export const REDSHIFT_KMS_SID = "MixpanelRedshiftKmsDecryptStatement";
/** The service principal of Redshift, which the Redshift role trusts besides Mixpanel's export user. */
export const REDSHIFT_SERVICE_PRINCIPAL = "redshift.amazonaws.com";
