# The export lives in the EU, through an aliased provider; region is not given: the module reports the provider's.
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

provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"
  providers = {
    aws = aws.eu
  }

  projects    = [{ token = "0123456789abcdef0123456789abcdef" }]
  bucket_name = "acme-mixpanel-export-eu"
}

output "mixpanel_settings" {
  value = module.mixpanel.mixpanel_settings
}
