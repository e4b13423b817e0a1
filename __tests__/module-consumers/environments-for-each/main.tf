# One export per environment, from a map, with for_each on the module block.
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
  region = "us-west-2"
}

locals {
  environments = {
    staging    = { token = "0123456789abcdef0123456789abcdef" }
    production = { token = "fedcba9876543210fedcba9876543210" }
  }
}

module "mixpanel" {
  source   = "../terraform-aws-mixpanel-s3-export"
  for_each = local.environments

  projects    = [{ token = each.value.token }]
  bucket_name = "acme-mixpanel-${each.key}"
  name_prefix = "${each.key}-"
  tags        = { environment = each.key }
}

output "mixpanel_settings" {
  value = { for name, export in module.mixpanel : name => export.mixpanel_settings }
}
