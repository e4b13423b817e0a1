# The module's main variants, offline: `terraform test` with a mocked AWS provider.
# Variants that create the bucket or a KMS key run `plan` only: the module protects both with
# prevent_destroy, so `terraform test` could not destroy them after an apply.

mock_provider "aws" {
  # The provider validates ARNs it is given; the mock's random strings are not ARNs.
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000" }
  }
  # The provider's region (AWS provider 5.x names it `name`); a run may override it.
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
}

variables {
  bucket_name = "acme-mixpanel-export"
  region      = "us-east-1"
  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
}

run "defaults_create_a_locked_down_bucket_and_one_role" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket.this) == 1 && aws_s3_bucket.this[0].bucket == "acme-mixpanel-export"
    error_message = "the bucket is created with the given name"
  }
  assert {
    condition = (length(aws_s3_bucket_public_access_block.this) == 1 && length(aws_s3_bucket_ownership_controls.this) == 1
    && length(aws_s3_bucket_policy.tls_only) == 1 && length(aws_s3_bucket_lifecycle_configuration.this) == 1)
    error_message = "public access block, ownership controls, TLS-only policy and the multipart-upload rule are on by default"
  }
  assert {
    condition     = length(aws_s3_bucket_server_side_encryption_configuration.this) == 0 && length(aws_kms_key.this) == 0
    error_message = "no encryption configuration and no key with encryption NONE"
  }
  assert {
    condition     = keys(aws_iam_role.this) == ["shared"] && length(aws_iam_policy.data_access) == 1 && length(aws_iam_policy.kms) == 0
    error_message = "one role, the data policy, no KMS policy"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this["shared"].assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "0123456789abcdef0123456789abcdef"
    error_message = "the role trusts the project token as external ID"
  }
  assert {
    condition     = output.encryption == "NONE" && output.kms_key_id == "" && output.bucket == "acme-mixpanel-export" && output.region == "us-east-1"
    error_message = "outputs for Mixpanel's form"
  }
}

run "region_unset_reports_the_providers" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "eu-central-1" }
  }
  variables {
    region = null
  }

  assert {
    condition     = output.region == "eu-central-1" && output.mixpanel_settings.region == "eu-central-1"
    error_message = "without region, the provider's region is reported"
  }
}

run "kms_with_a_key_object" {
  command = plan
  variables {
    encryption = "KMS"
    kms_key    = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }

  assert {
    condition     = length(aws_iam_policy.kms) == 1 && length(aws_iam_role_policy_attachment.kms) == 1
    error_message = "the KMS policy for Mixpanel, attached to the role"
  }
  assert {
    condition     = output.kms_key_id == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "the key object's ARN is reported as KMS Key ID"
  }
}

run "aes_sets_sse_s3" {
  command = plan
  variables {
    encryption = "aes"
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "AES256 default encryption"
  }
  assert {
    condition     = output.encryption == "AES" && length(aws_iam_policy.kms) == 0
    error_message = "reported as AES, no KMS policy"
  }
}

run "kms_with_a_created_key" {
  command = plan
  variables {
    encryption     = "KMS"
    create_kms_key = true
  }

  assert {
    condition     = aws_kms_key.this[0].enable_key_rotation && aws_kms_key.this[0].deletion_window_in_days == 30
    error_message = "rotation on, 30-day deletion window"
  }
  assert {
    condition     = aws_kms_alias.this[0].name == "alias/mixpanel-export" && length(aws_iam_policy.kms) == 1
    error_message = "an alias, and the KMS policy for Mixpanel"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this[0].rule).bucket_key_enabled
    error_message = "S3 Bucket Keys on"
  }
}

run "existing_bucket_with_a_customer_key_applies" {
  command = apply
  variables {
    bucket_name   = "existing-data-lake"
    create_bucket = false
    encryption    = "KMS"
    kms_key_arn   = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = (length(aws_s3_bucket.this) == 0 && length(aws_s3_bucket_policy.tls_only) == 0
    && length(aws_s3_bucket_server_side_encryption_configuration.this) == 0 && length(aws_s3_bucket_lifecycle_configuration.this) == 0)
    error_message = "an existing bucket's configuration is left alone by default"
  }
  assert {
    condition     = jsondecode(aws_iam_policy.kms[0].policy).Statement[0].Resource == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "the KMS policy names the key"
  }
  assert {
    condition     = output.kms_key_id == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" && output.encryption == "KMS"
    error_message = "the key ARN is reported as KMS Key ID"
  }
  assert {
    condition     = output.mixpanel_settings.role == aws_iam_role.this["shared"].arn && output.role_arn == aws_iam_role.this["shared"].arn
    error_message = "the role ARN is reported for Mixpanel's form"
  }
}

run "per_project_roles_with_prefix_scoping_apply" {
  command = apply
  variables {
    bucket_name   = "existing-data-lake"
    create_bucket = false
    projects = [
      { token = "0123456789abcdef0123456789abcdef", project_id = "1001" },
      { token = "fedcba9876543210fedcba9876543210", project_id = "2002" },
    ]
    role_per_project        = true
    scope_to_project_prefix = true
  }

  assert {
    condition     = length(aws_iam_role.this) == 2 && length(aws_iam_policy.scoped_data_access) == 2 && length(aws_iam_policy.data_access) == 0
    error_message = "one role and one scoped policy per project"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this["fedcba9876543210fedcba9876543210"].assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "fedcba9876543210fedcba9876543210"
    error_message = "each role trusts only its own token"
  }
  assert {
    condition     = jsondecode(aws_iam_policy.scoped_data_access["0123456789abcdef0123456789abcdef"].policy).Statement[0].Resource == "arn:aws:s3:::existing-data-lake/1001/*"
    error_message = "objects are limited to the project's prefix"
  }
  assert {
    condition     = output.role_arns["fedcba9876543210fedcba9876543210"] == aws_iam_role.this["fedcba9876543210fedcba9876543210"].arn && output.role_arn == null
    error_message = "role_arns maps each token to its role; no single role_arn"
  }
}
