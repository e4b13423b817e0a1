# The module twice in one root: one switched by count, one waiting with depends_on for a log bucket.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

variable "export_enabled" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
}

module "primary" {
  source = "../terraform-aws-mixpanel-s3-export"
  count  = var.export_enabled ? 1 : 0

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
}

module "archive" {
  source     = "../terraform-aws-mixpanel-s3-export"
  depends_on = [aws_s3_bucket.logs]

  projects          = [{ token = "fedcba9876543210fedcba9876543210" }]
  bucket_name       = "acme-mixpanel-archive"
  name_prefix       = "archive-"
  region            = "ap-southeast-2"
  access_log_bucket = aws_s3_bucket.logs.bucket
}

output "primary_region" {
  value = one(module.primary[*].region)
}

output "archive_settings" {
  value = module.archive.mixpanel_settings
}
