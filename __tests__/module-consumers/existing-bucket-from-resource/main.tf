# A bucket this root already manages, passed by its id (known only after apply); the module manages its
# default encryption and adds the policies and the role.
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
  region = "us-east-2"
}

resource "aws_s3_bucket" "lake" {
  bucket = "acme-data-lake"
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects               = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name            = aws_s3_bucket.lake.id
  create_bucket          = false
  manage_existing_bucket = "encryption"
  encryption             = "AES"
}

output "mixpanel_settings" {
  value = module.mixpanel.mixpanel_settings
}
