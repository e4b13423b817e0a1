# Per-project roles with tokens from a sensitive variable: each token keys its role's address, so the module
# refuses them at plan, naming the fix.
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
  type      = list(object({ token = string, project_id = string }))
  sensitive = true
  default = [
    { token = "0123456789abcdef0123456789abcdef", project_id = "1001" },
    { token = "fedcba9876543210fedcba9876543210", project_id = "2002" },
  ]
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects         = var.mixpanel_projects
  bucket_name      = "acme-mixpanel-export"
  role_per_project = true
}
