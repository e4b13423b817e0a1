# Bad variable values fail `terraform plan` with the module's validation blocks: the synth-time rules of the
# cdktf construct (src/rules/rules.ts), with the same messages. One run per rule family; each expects its
# variable, and only it, to fail. The last run shows values at the edges of the rules pass.

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

run "bucket_name_breaking_aws_rules" {
  command = plan
  variables {
    bucket_name = "Bad_Bucket"
  }
  expect_failures = [var.bucket_name]
}

run "bucket_name_with_a_reserved_suffix" {
  command = plan
  variables {
    bucket_name = "acme--x-s3"
  }
  expect_failures = [var.bucket_name]
}

run "token_that_is_no_sts_external_id" {
  command = plan
  variables {
    projects = [{ token = "0123 4567" }]
  }
  expect_failures = [var.projects]
}

run "token_listed_twice" {
  command = plan
  variables {
    projects = [{ token = "0123456789abcdef0123456789abcdef" }, { token = "0123456789abcdef0123456789abcdef" }]
  }
  expect_failures = [var.projects]
}

run "project_ids_for_only_some_tokens" {
  command = plan
  variables {
    projects = [{ token = "0123456789abcdef0123456789abcdef", project_id = "1001" }, { token = "fedcba9876543210fedcba9876543210" }]
  }
  expect_failures = [var.projects]
}

run "project_id_that_is_no_positive_number" {
  command = plan
  variables {
    projects = [{ token = "0123456789abcdef0123456789abcdef", project_id = "0" }]
  }
  expect_failures = [var.projects]
}

run "region_outside_the_aws_partition" {
  command = plan
  variables {
    region = "cn-north-1"
  }
  expect_failures = [var.region]
}

run "malformed_region" {
  command = plan
  variables {
    region = "us-east-1a"
  }
  expect_failures = [var.region]
}

run "encryption_outside_mixpanels_dropdown" {
  command = plan
  variables {
    encryption = "SSE-S3"
  }
  expect_failures = [var.encryption]
}

run "kms_key_alias_arn" {
  command = plan
  variables {
    encryption  = "KMS"
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:alias/mixpanel"
  }
  expect_failures = [var.kms_key_arn]
}

run "kms_key_in_another_region" {
  command = plan
  variables {
    encryption  = "KMS"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.kms_key_arn]
}

run "kms_key_arn_without_kms" {
  command = plan
  variables {
    encryption  = "AES"
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.kms_key_arn]
}

run "create_kms_key_without_kms" {
  command = plan
  variables {
    create_kms_key = true
  }
  expect_failures = [var.create_kms_key]
}

run "kms_key_arn_and_create_kms_key" {
  command = plan
  variables {
    encryption     = "KMS"
    kms_key_arn    = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    create_kms_key = true
  }
  expect_failures = [var.create_kms_key]
}

run "role_name_with_a_space" {
  command = plan
  variables {
    role_name = "mixpanel export"
  }
  expect_failures = [var.role_name]
}

run "role_path_without_trailing_slash" {
  command = plan
  variables {
    role_path = "/vendors"
  }
  expect_failures = [var.role_path]
}

run "permissions_boundary_that_is_a_role" {
  command = plan
  variables {
    permissions_boundary_arn = "arn:aws:iam::111122223333:role/boundary"
  }
  expect_failures = [var.permissions_boundary_arn]
}

run "session_longer_than_twelve_hours" {
  command = plan
  variables {
    max_session_duration = 43201
  }
  expect_failures = [var.max_session_duration]
}

run "name_prefix_with_a_dot" {
  command = plan
  variables {
    name_prefix = "analytics."
  }
  expect_failures = [var.name_prefix]
}

run "tag_key_reserved_for_aws" {
  command = plan
  variables {
    tags = { "aws:team" = "data" }
  }
  expect_failures = [var.tags]
}

run "prefix_scoping_without_per_project_roles" {
  command = plan
  variables {
    projects                = [{ token = "0123456789abcdef0123456789abcdef", project_id = "1001" }]
    scope_to_project_prefix = true
  }
  expect_failures = [var.scope_to_project_prefix]
}

run "standard_ia_before_30_days" {
  command = plan
  variables {
    projects               = [{ token = "0123456789abcdef0123456789abcdef", project_id = "1001" }]
    events_transition_days = 10
  }
  expect_failures = [var.events_transition_days]
}

run "event_expiry_before_the_transition" {
  command = plan
  variables {
    projects               = [{ token = "0123456789abcdef0123456789abcdef", project_id = "1001" }]
    events_transition_days = 90
    events_expiration_days = 60
  }
  expect_failures = [var.events_expiration_days]
}

run "event_expiry_without_project_ids" {
  command = plan
  variables {
    events_expiration_days = 730
  }
  expect_failures = [var.events_expiration_days]
}

run "unknown_storage_class" {
  command = plan
  variables {
    events_storage_class = "GLACIER_DEEP"
  }
  expect_failures = [var.events_storage_class]
}

run "access_logs_into_the_bucket_itself" {
  command = plan
  variables {
    access_log_bucket = "acme-mixpanel-export"
  }
  expect_failures = [var.access_log_bucket]
}

run "unknown_way_to_manage_an_existing_bucket" {
  command = plan
  variables {
    create_bucket          = false
    manage_existing_bucket = "some"
  }
  expect_failures = [var.manage_existing_bucket]
}

run "a_region_other_than_the_providers" {
  command = plan
  variables {
    region = "eu-west-1"
  }
  expect_failures = [var.region]
}

run "a_provider_outside_the_aws_partition" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "cn-north-1" }
  }
  variables {
    region = null
  }
  expect_failures = [var.region]
}

run "a_key_object_with_encryption_none" {
  command = plan
  variables {
    kms_key = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  expect_failures = [var.kms_key]
}

run "a_key_given_twice" {
  command = plan
  variables {
    encryption  = "KMS"
    kms_key     = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.kms_key]
}

run "values_at_the_edges_of_the_rules_pass" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }
  variables {
    bucket_name = "a.b-c"
    region      = "eu-west-1"
    projects = [
      { token = "0123456789abcdef0123456789abcdef", project_id = "1" },
      { token = "team:one/a_b+c=d,e.f@g-h", project_id = "2718281" },
    ]
    encryption                         = "kms"
    kms_key_arn                        = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    role_per_project                   = true
    scope_to_project_prefix            = true
    role_path                          = "/a/b/"
    permissions_boundary_arn           = "arn:aws:iam::aws:policy/PowerUserAccess"
    max_session_duration               = 43200
    name_prefix                        = "analytics-"
    tags                               = { "team name_1.x:y/z=+-@" = "Données analytiques 2026", empty = "" }
    abort_incomplete_uploads_days      = 0
    events_transition_days             = 30
    events_expiration_days             = 31
    versioning                         = true
    noncurrent_version_expiration_days = 1
    access_log_bucket                  = "acme-s3-access-logs"
  }

  assert {
    condition     = length(aws_iam_role.this) == 2 && length(aws_iam_policy.scoped_data_access) == 2
    error_message = "two per-project roles, each with its scoped policy"
  }
}
