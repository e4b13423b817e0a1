# Tokens kept in sensitive variables (their values in terraform.tfvars), with one shared role: a single
# sensitive token, and a whole list of projects marked sensitive.
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

variable "mixpanel_token" {
  type      = string
  sensitive = true
}

variable "analytics_projects" {
  type      = list(object({ token = string }))
  sensitive = true
}

module "mixpanel" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = [{ token = var.mixpanel_token }]
  bucket_name = "acme-mixpanel-export"
  encryption  = "AES"
}

module "analytics" {
  source = "../terraform-aws-mixpanel-s3-export"

  projects    = var.analytics_projects
  bucket_name = "acme-analytics-export"
  name_prefix = "analytics-"
}

output "mixpanel_settings" {
  value = module.mixpanel.mixpanel_settings
}

# Keyed by the tokens, so sensitive too: Terraform asks a root output of it to say so.
output "analytics_role_arns" {
  value     = module.analytics.role_arns
  sensitive = true
}
