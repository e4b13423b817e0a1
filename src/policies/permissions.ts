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
