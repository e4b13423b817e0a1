# A typo in the region (eu-wset-1): well-formed, so only the provider's region can tell. Refused at plan.
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
  region = "eu-west-1"
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export"
  region      = "eu-wset-1"
}
