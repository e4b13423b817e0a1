# The Glue catalog part (Mixpanel's Redshift Spectrum destination), offline: `terraform test` with a mocked
# AWS provider. Plans only: a created Glue database has prevent_destroy, as the bucket does.

mock_provider "aws" {
  # The provider validates ARNs it is given; the mock's random strings are not ARNs.
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  # The provider's region (AWS provider 5.x names it `name`): where a created Glue database goes.
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
}

variables {
  bucket_name = "acme-mixpanel-export"
  region      = "us-east-1"
  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
}

run "without_glue_database_nothing_of_the_glue_part" {
  command = plan

  assert {
    condition = (length(aws_glue_catalog_database.this) == 0 && length(aws_iam_role.glue) == 0 && length(aws_iam_role.redshift) == 0
    && length(aws_iam_policy.glue) == 0 && length(aws_iam_policy.redshift) == 0 && length(aws_iam_policy.redshift_kms) == 0)
    error_message = "no database, no Glue or Redshift role or policy"
  }
  assert {
    condition     = output.mixpanel_settings.glue_database == null && output.mixpanel_settings.glue_role == null && output.redshift_role_arn == null
    error_message = "the Glue fields of mixpanel_settings are null"
  }
}

run "glue_database_creates_it_and_a_role_scoped_to_it" {
  command = plan
  variables {
    glue_database = "mixpanel_exports"
  }

  assert {
    condition     = length(aws_glue_catalog_database.this) == 1 && aws_glue_catalog_database.this[0].name == "mixpanel_exports"
    error_message = "the database is created"
  }
  assert {
    condition = jsondecode(aws_iam_policy.glue[0].policy).Statement[0].Resource == [
      "arn:aws:glue:us-east-1:*:catalog", "arn:aws:glue:us-east-1:*:database/mixpanel_exports", "arn:aws:glue:us-east-1:*:table/mixpanel_exports/*",
    ]
    error_message = "the Glue policy names the catalog, the database and its tables"
  }
  assert {
    condition     = length(jsondecode(aws_iam_policy.glue[0].policy).Statement[0].Action) == 15
    error_message = "the page's 15 Glue actions"
  }
  assert {
    condition     = !can(jsondecode(aws_iam_role.glue[0].assume_role_policy).Statement[0].Condition)
    error_message = "the Glue role's trust has no condition (no external ID), as Mixpanel documents it"
  }
  assert {
    condition     = length(aws_iam_role.redshift) == 0 && output.mixpanel_settings.glue_database == "mixpanel_exports" && output.mixpanel_settings.glue_region == "us-east-1"
    error_message = "no Redshift role by default; the form's Glue fields"
  }
}

run "page_scope_with_an_existing_database" {
  command = plan
  variables {
    glue_database          = "mixpanel_exports"
    create_glue_database   = false
    glue_scope_to_database = false
  }

  assert {
    condition     = length(aws_glue_catalog_database.this) == 0 && jsondecode(aws_iam_policy.glue[0].policy).Statement[0].Resource == "*"
    error_message = "no database is created; the Glue policy has the page's \"*\""
  }
}

run "redshift_role_with_a_customer_key" {
  command = plan
  variables {
    glue_database = "mixpanel_exports"
    redshift_role = true
    encryption    = "KMS"
    kms_key_arn   = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_policy.redshift[0].policy).Statement : s.Sid] == ["MixpanelRedshiftAccessStatement", "MixpanelGlueAccessStatement", "MixpanelS3AccessStatement"]
    error_message = "the page's three Redshift statements"
  }
  assert {
    condition     = jsondecode(aws_iam_policy.redshift_kms[0].policy).Statement[0].Resource == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "kms:Decrypt on the customer key, in a policy of its own"
  }
  assert {
    condition     = jsondecode(aws_iam_role.redshift[0].assume_role_policy).Statement[0].Principal.Service == "redshift.amazonaws.com"
    error_message = "Redshift may assume the Redshift role"
  }
}

run "glue_database_with_upper_case_fails" {
  command = plan
  variables {
    glue_database = "Mixpanel_Exports"
  }
  expect_failures = [var.glue_database]
}

run "redshift_role_without_glue_database_fails" {
  command = plan
  variables {
    redshift_role = true
  }
  expect_failures = [var.redshift_role]
}
