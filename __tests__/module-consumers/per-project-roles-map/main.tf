# Projects kept in a map variable; one role per project, each limited to its project's prefix.
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

variable "mixpanel_projects" {
  type = map(object({ token = string, project_id = string }))
  default = {
    web    = { token = "0123456789abcdef0123456789abcdef", project_id = "1001" }
    mobile = { token = "fedcba9876543210fedcba9876543210", project_id = "2002" }
  }
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects                = [for name, project in var.mixpanel_projects : project]
  bucket_name             = "acme-mixpanel-export"
  role_per_project        = true
  scope_to_project_prefix = true
  events_expiration_days  = 730
}

output "role_arns" {
  value = module.mixpanel.role_arns
}

output "region" {
  value = module.mixpanel.region
}
