# A key created in the same root given as kms_key_arn: its ARN is known only after apply, so whether there is a
# customer key (the KMS policy's count) is not known at plan. Terraform's own error stands; the line it prints
# names kms_key, the documented way (kms-key-from-resource).
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

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
  encryption  = "KMS"
  kms_key_arn = aws_kms_key.k.arn
}
