# The bucket's region given as eu-west-1 while the provider is configured for us-east-1: refused at plan.
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

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
  region      = "eu-west-1"
}
