import { AWS_PROVIDER_CONSTRAINT } from "../config/aws-provider";
import { MODULE_EXAMPLES, exampleMainTf } from "./examples";
import { REQUIRED_TERRAFORM_VERSION, moduleFiles } from "./module-json";
import { ModuleVariable, NOT_MODULE_VARIABLES, moduleVariables } from "./variables";

/** The registry README: usage, and input and output tables generated from the same descriptions as the construct's. */
export function moduleReadme(variables: readonly ModuleVariable[] = moduleVariables()): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const defaultCell = (v: ModuleVariable) => v.default === undefined ? "required" : `\`${cell(JSON.stringify(v.default))}\``;
  const inputs = variables.map((v) => `| \`${v.name}\` | ${cell(v.description)} | \`${cell(v.type)}\` | ${defaultCell(v)} |`);
  const files = moduleFiles(variables);
  const outputsOf = (file: "outputs.tf.json" | "glue.tf.json") => (files[file] as { output: Record<string, { description: string }> }).output;
  const outputs = Object.entries({ ...outputsOf("outputs.tf.json"), ...outputsOf("glue.tf.json") })
    .map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  const usage = exampleMainTf(MODULE_EXAMPLES[0], "<namespace>/mixpanel-s3-export/aws")
    .split("\n").filter((line) => !line.startsWith("#")).join("\n").trim();
  return `# terraform-aws-mixpanel-s3-export

Sets up an AWS account for Mixpanel's JSON pipeline exports to S3, exactly as Mixpanel's "AWS S3" page
describes it: the bucket (or an existing one), the data-modification policy (Sid \`MixpanelS3AccessStatement\`),
optional SSE-S3 or SSE-KMS with the KMS policy (Sid \`MixpanelKmsStatement\`), and a cross-account role that only
Mixpanel's \`mixpanel-export\` user may assume, only with your project token as external ID. The bucket is
secure by default: all Block Public Access settings, ACLs disabled, TLS-only bucket policy, and
\`prevent_destroy\` on the bucket and a created KMS key.

Requires Terraform ${REQUIRED_TERRAFORM_VERSION} and the AWS provider \`${AWS_PROVIDER_CONSTRAINT}\`. The module has no
provider block: it uses yours.

## Usage

\`\`\`hcl
${usage}
\`\`\`

Then type the \`mixpanel_settings\` output into Mixpanel's pipeline form (Bucket, Region, Role, Encryption,
KMS Key ID). With per-project roles, enter each project's role from \`role_arns\`.

Examples: ${MODULE_EXAMPLES.map((e) => `[\`${e.name}\`](examples/${e.name}) (${e.title.charAt(0).toLowerCase()}${e.title.slice(1)})`).join("; ")}.

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

## Inputs

| Name | Description | Type | Default |
|---|---|---|---|
${inputs.join("\n")}

Not an input: ${Object.values(NOT_MODULE_VARIABLES).join(" ")} To remove the bucket on purpose, first take
it out of the state (\`terraform state rm\`) or empty and delete it by hand.

Every rule the cdktf construct checks at synth time is a \`validation\` block here, with the same message,
except those Terraform's types already enforce and the limits on derived role and policy names (which the AWS
provider checks at plan). Warnings (risky but allowed values) are printed only by the cdktf construct.

## Outputs

| Name | Description |
|---|---|
${outputs.join("\n")}

## Tests

\`terraform test\` runs \`tests/*.tftest.hcl\` offline with a mocked AWS provider.

This module is built from the TypeScript sources of the mixpanel-s3-export project (\`npm run build:module\`);
change it there, not here.
`;
}
