# A customer managed key created in the same root: its ARN is known only after apply.
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
  region = "us-east-1"
}

resource "aws_kms_key" "ours" {
  description         = "Encrypts our Mixpanel exports"
  enable_key_rotation = true
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
  encryption  = "KMS"
  kms_key     = { arn = aws_kms_key.ours.arn }
}

output "mixpanel_settings" {
  value = module.mixpanel.mixpanel_settings
}
