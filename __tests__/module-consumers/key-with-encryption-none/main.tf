# A key given, but the encryption left at NONE: refused at plan, though the key's ARN is known only after apply.
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
  enable_key_rotation = true
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
  kms_key     = { arn = aws_kms_key.ours.arn }
}
