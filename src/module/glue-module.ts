import { glueDescriptions, glueNames } from "../config/export-plan";
import {
  glueAccessPolicy, glueResources, glueTrustPolicy, redshiftAccessPolicy, redshiftKmsPolicy, redshiftTrustPolicy,
} from "../policies/glue-policies";
import { renderPolicy } from "../policies/policy-document";
import { GLUE_ON, HAS_CUSTOMER_KEY } from "./validations";

/**
 * The Glue catalog part of the module (Mixpanel's Redshift Spectrum destination), in a file of its own
 * (`glue.tf.json`): the same decisions, names, descriptions and policy builders as the construct's
 * MixpanelGlueCatalog. Every `count` depends only on plain variables (`glue_database`, which must be known at
 * plan, `create_glue_database`, `redshift_role`) and on the encryption choice (`local.has_customer_key`).
 */

/** `${...}` around a Terraform expression, for a JSON-syntax string. */
const tf = (expression: string) => `\${${expression}}`;
const onlyWhen = (condition: string) => tf(`${condition} ? 1 : 0`);
const tagsOrNull = tf("length(var.tags) > 0 ? var.tags : null");

const names = glueNames("${var.name_prefix}");
const describe = glueDescriptions("${var.bucket_name}", "${var.glue_database}");
// A conditional, not `&&`: Terraform's `false && <unknown>` is unknown, so without the Redshift role an unknown
// customer key would still fail its count.
const REDSHIFT_KMS = `(local.redshift_role ? ${HAS_CUSTOMER_KEY} : false)`;
const GLUE_ROLE_ARN = "one(aws_iam_role.glue[*].arn)";
const REDSHIFT_ROLE_ARN = "one(aws_iam_role.redshift[*].arn)";

/**
 * The Glue policy with its Resource chosen at plan: the catalog, the database and its tables, or the page's
 * "*". The page's document is rendered, and its `"Resource":"*"` replaced by an expression giving the JSON of either.
 */
const glueResourcesExpression = `var.glue_scope_to_database ? jsonencode(${JSON.stringify(glueResources({ region: "${local.region}", database: "${var.glue_database}" }))}) : jsonencode("*")`;
const gluePolicyText = renderPolicy(glueAccessPolicy("*")).replace('"Resource":"*"', `"Resource":${tf(glueResourcesExpression)}`);

/** The role settings every role of the module shares. */
const roleSettings = {
  path: tf("var.role_path"),
  permissions_boundary: tf("var.permissions_boundary_arn"),
  max_session_duration: tf("var.max_session_duration"),
  tags: tagsOrNull,
};

export const GLUE_MODULE = {
  locals: {
    glue_on: tf(GLUE_ON),
    create_glue_database: tf("local.glue_on && var.create_glue_database"),
    redshift_role: tf("local.glue_on && var.redshift_role"),
  },
  resource: {
    aws_glue_catalog_database: {
      this: {
        count: onlyWhen("local.create_glue_database"),
        name: tf("var.glue_database"),
        description: describe.database,
        tags: tagsOrNull,
        // In the provider's region, which the region validation (regionProvider) makes the bucket's.
        lifecycle: { prevent_destroy: true },
      },
    },
    aws_iam_policy: {
      glue: {
        count: onlyWhen("local.glue_on"),
        name: names.gluePolicyName,
        path: tf("var.role_path"),
        description: tf(`var.glue_scope_to_database ? ${JSON.stringify(describe.gluePolicy(true))} : ${JSON.stringify(describe.gluePolicy(false))}`),
        policy: gluePolicyText,
        tags: tagsOrNull,
      },
      redshift: {
        count: onlyWhen("local.redshift_role"),
        name: names.redshiftPolicyName,
        path: tf("var.role_path"),
        description: describe.redshiftPolicy,
        policy: renderPolicy(redshiftAccessPolicy("${var.bucket_name}")),
        tags: tagsOrNull,
      },
      redshift_kms: {
        count: onlyWhen(REDSHIFT_KMS),
        name: names.redshiftKmsPolicyName,
        path: tf("var.role_path"),
        description: describe.redshiftKmsPolicy,
        policy: renderPolicy(redshiftKmsPolicy(tf("local.customer_key_arn"))),
        tags: tagsOrNull,
      },
    },
    aws_iam_role: {
      glue: {
        count: onlyWhen("local.glue_on"),
        name: names.glueRoleName,
        description: describe.glueRole,
        assume_role_policy: renderPolicy(glueTrustPolicy()),
        ...roleSettings,
      },
      redshift: {
        count: onlyWhen("local.redshift_role"),
        name: names.redshiftRoleName,
        description: describe.redshiftRole,
        assume_role_policy: renderPolicy(redshiftTrustPolicy()),
        ...roleSettings,
      },
    },
    aws_iam_role_policy_attachment: {
      glue: { count: onlyWhen("local.glue_on"), role: tf("aws_iam_role.glue[0].name"), policy_arn: tf("aws_iam_policy.glue[0].arn") },
      redshift: { count: onlyWhen("local.redshift_role"), role: tf("aws_iam_role.redshift[0].name"), policy_arn: tf("aws_iam_policy.redshift[0].arn") },
      redshift_kms: {
        count: onlyWhen(REDSHIFT_KMS),
        role: tf("aws_iam_role.redshift[0].name"),
        policy_arn: tf("aws_iam_policy.redshift_kms[0].arn"),
      },
    },
  },
  output: {
    glue_database: { description: "Mixpanel form: Glue Database (null without glue_database)", value: tf("local.glue_on ? var.glue_database : null") },
    glue_region: { description: "Mixpanel form: Glue Region (null without glue_database)", value: tf("local.glue_on ? local.region : null") },
    glue_role_arn: { description: "Mixpanel form: Glue Role (null without glue_database)", value: tf(GLUE_ROLE_ARN) },
    redshift_role_arn: {
      description: "Mixpanel form: Redshift Role (null without redshift_role; Region is the Glue Region, Cluster Identifier or Workgroup ARN and Database are yours)",
      value: tf(REDSHIFT_ROLE_ARN),
    },
  },
};

/** The Glue fields `mixpanel_settings` carries (null when the Glue part is off), as HCL object attributes. */
export const GLUE_SETTINGS_FIELDS = `glue_database = local.glue_on ? var.glue_database : null, glue_region = local.glue_on ? local.region : null, glue_role = ${GLUE_ROLE_ARN}, redshift_role = ${REDSHIFT_ROLE_ARN}`;
