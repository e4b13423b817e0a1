import { MODULE_EXAMPLES, exampleMainTf } from "./examples";
import { moduleFiles } from "./module-json";
import { terraformDocsSection } from "./terraform-docs";
import { ModuleVariable, NOT_MODULE_VARIABLES, moduleVariables } from "./variables";

/**
 * The registry README: how to use the module, then its reference tables (requirements, providers, resources,
 * inputs, outputs) as terraform-docs writes them, generated from the module's own files (terraform-docs.ts).
 */
export function moduleReadme(variables: readonly ModuleVariable[] = moduleVariables()): string {
  const reference = terraformDocsSection(moduleFiles(variables));
  const usage = exampleMainTf(MODULE_EXAMPLES[0], "<namespace>/mixpanel-s3-export/aws")
    .split("\n").filter((line) => !line.startsWith("#")).join("\n").trim();
  return `# terraform-aws-mixpanel-s3-export

Sets up an AWS account for Mixpanel's JSON pipeline exports to S3, exactly as Mixpanel's "AWS S3" page
describes it: the bucket (or an existing one), the data-modification policy (Sid \`MixpanelS3AccessStatement\`),
optional SSE-S3 or SSE-KMS with the KMS policy (Sid \`MixpanelKmsStatement\`), and a cross-account role that only
Mixpanel's \`mixpanel-export\` user may assume, only with your project token as external ID. The bucket is
secure by default: all Block Public Access settings, ACLs disabled, TLS-only bucket policy, and
\`prevent_destroy\` on the bucket and a created KMS key.

The module has no provider block: the bucket and roles are made with the AWS provider you give it, in that
provider's region, which the module reads (\`data "aws_region"\`, no API call) and reports as \`region\`.

## Usage

\`\`\`hcl
${usage}
\`\`\`

Then type the \`mixpanel_settings\` output into Mixpanel's pipeline form (Bucket, Region, Role, Encryption,
KMS Key ID). With per-project roles, enter each project's role from \`role_arns\`.

The module works under \`for_each\` and \`count\`, with \`depends_on\` (while what it depends on has changes pending, Terraform reads the provider's region during
apply; give \`region\` to have it in the plan), with an aliased provider (\`providers = { aws = aws.eu }\`), and
several times in one configuration (give each a \`name_prefix\`: role, policy and alias names are per account).

Examples: ${MODULE_EXAMPLES.map((e) => `[\`${e.name}\`](examples/${e.name}) (${e.title})`).join("; ")}.

## Redshift Spectrum and Athena (the Glue catalog)

Set \`glue_database\` (a plain value, known at plan) for Mixpanel's Redshift Spectrum destination: the module
creates the Glue database in the bucket's region (\`create_glue_database = false\` uses an existing one) and
the Glue role Mixpanel assumes to keep one table per data source in it (Sid \`MixpanelGlueAccessStatement\`,
the page's 15 actions). By default that role reaches only the catalog, that database and its tables: stricter
than Mixpanel's page, whose \`"*"\` \`glue_scope_to_database = false\` restores. \`redshift_role = true\` adds the
Redshift role with the page's three statements, plus \`kms:Decrypt\` on a customer managed key in a policy of
its own. Both roles trust Mixpanel's export user without an external ID, as Mixpanel documents them; the
Redshift role trusts \`redshift.amazonaws.com\` too. \`mixpanel_settings\` then carries the form's Glue and
Redshift fields. Associating the Redshift role with your cluster or workgroup, and the \`GRANT\` to
\`IAMR:<role name>\`, stay with you (see the project README).

## Values known at plan

These inputs decide the module's \`count\` and \`for_each\`, so Terraform needs them at plan (text, variables,
data sources, attributes set in your configuration; not sensitive): \`create_bucket\`, \`manage_existing_bucket\`,
\`encryption\`, \`create_kms_key\`, whether \`kms_key\` is given, \`kms_key_arn\`, \`role_per_project\`,
\`scope_to_project_prefix\`, the security and lifecycle switches and day counts, \`access_log_bucket\` (a log
bucket's \`bucket\`, not its \`id\`, which is known only after apply), and how many \`projects\` there are. Every
other input may be known only after apply (a bucket name from a resource, a key ARN) or be sensitive (a token kept
in a \`sensitive\` variable).

- A key created in the same configuration: \`kms_key = { arn = aws_kms_key.<name>.arn }\`. Whether there is a
  customer key is then known at plan. \`kms_key_arn\` takes only ARNs known at plan: given
  \`aws_kms_key.<name>.arn\`, the plan fails with Terraform's own \`Invalid count argument\` on the KMS policy's
  \`count\` (no validation or precondition can run on a value unknown at plan), and the line that error prints
  names \`kms_key\`.
- With \`role_per_project\`, the project tokens key the roles (\`aws_iam_role.this["<token>"]\`): they must be known
  at plan and not sensitive; a validation refuses sensitive ones, naming the fix. One shared role takes any token.
- \`role_arns\` is keyed by token, so it is sensitive when a token is: a root output of it then needs
  \`sensitive = true\` (Terraform's rule for root outputs); \`role_arn\` and \`mixpanel_settings\` stay plain.
- A \`region\` given must be the provider's region: a validation refuses any other, naming both.

Every rule the cdktf construct checks at synth time is a \`validation\` block here, with the same message,
except those Terraform's types already enforce and the limits on derived role and policy names (which the AWS
provider checks at plan). Warnings (risky but allowed values) are printed only by the cdktf construct.

## Adopting a set-up made by hand

A bucket and role made by hand from Mixpanel's page can be taken under this module without recreating them,
so the role's ARN, which Mixpanel's pipeline uses, stays the same. Import blocks may stand only in the root
module before Terraform 1.16, so \`mixpanel-s3-export adopt\` (from the npm package) prints them for your call:

1. Write the call as your set-up is: \`bucket_name\`, \`projects\`, \`encryption\` (and the key) as in Mixpanel's
   form, \`role_name\` (and \`role_path\`) set to the role's. With \`role_per_project\`, set \`role_name\` on each
   project to its role's name instead.
2. \`npx mixpanel-s3-export adopt --module module.mixpanel --bucket <bucket> --encryption <NONE|AES|KMS>
   --role <role name> > adopt.tf\` (per-project roles: \`--role <token>=<role name>\` for each project; a
   call with \`count\` or \`for_each\`: one instance, e.g. \`--module 'module.mixpanel["prod"]'\`, and
   \`--plan plan.json\` from \`terraform show -json\` checks the address and names the instances).
3. \`terraform plan\`: the bucket, its default encryption, public access block and ownership controls, and
   the roles are imported, each with its real difference as an in-place update; the policies, their
   attachments, the TLS-only bucket policy and the lifecycle rules are created, and those two replace any
   the bucket has (merge what you need first). Nothing may be destroyed or replaced: a role that \`must be
   replaced\` has another name or path than the call says. \`npx mixpanel-s3-export review plan.json\` (from
   \`terraform show -json\`) lists the policies attached to each imported role outside this configuration, as
   widening (exit 1): until they are detached Mixpanel may do what they allow, which the plan cannot show.
4. \`terraform apply\`, then detach the hand-made policies (they grant what the module's do):
   \`aws iam detach-role-policy --role-name <role name> --policy-arn <ARN>\`.

## Reference

The tables below are generated from the module's files, in terraform-docs' layout (\`terraform-docs markdown
table\`, default settings), between its markers: running terraform-docs on this folder rewrites them unchanged.

${reference}

Not an input: ${Object.values(NOT_MODULE_VARIABLES).join(" ")} To remove the bucket on purpose, first take
it out of the state (\`terraform state rm\`) or empty and delete it by hand.

## Reviewing plans

What a plan grants Mixpanel, and what it changes (widening first; exit code 1 on widening), from the plan
itself, for a root calling this module at any address:

\`\`\`sh
terraform plan -out=plan.bin && terraform show -json plan.bin > plan.json
npx --yes mixpanel-s3-export review plan.json
\`\`\`

A root that calls this module once per environment reviews each call on its own with
\`--module <address>\` (\`module.prod\`, \`'module.team["data"]'\`, nested calls too; several flags: their union):
the diff, the report and the exit code come from that call's resources alone (grants made outside the call
show only in the review of the whole plan), with the plan's full addresses. A call with no instance
(\`count = 0\`: an environment switched off) is reviewed as empty, exit 0, and the report says so.

A key, bucket or role the root passes to the call (\`kms_key = { arn = aws_kms_key.exports.arn }\`,
\`bucket_name = aws_s3_bucket.lake.id\`) is reviewed as the access that uses it: the roles' grants and the
form name it, and its protections are listed as a created one's.

Each bucket's Region is the one of the provider the module's resources use (\`providers = { aws = aws.eu }\`
included). Only what Mixpanel may use is reviewed: roles its account may assume, the buckets they are
allowed on and the keys of those buckets or roles; the root's other resources are counted, not listed.

The mixpanel-s3-export project ships a GitHub workflow that does this on every pull request
(\`examples/workflows/terraform-plan-review.yml\`): fmt, validate, plan, review, one comment per pull request.

## Upgrading

Resource addresses change only with a \`moved\` block; [UPGRADING.md](UPGRADING.md) lists every change.

## Tests

\`terraform test\` runs \`tests/*.tftest.hcl\` offline with a mocked AWS provider.

This module is built from the TypeScript sources of the mixpanel-s3-export project (\`npm run build:module\`);
change it there, not here.
`;
}
