import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { wholeSchemaProviderEnv } from "../support/provider-processes";
import { KEPT_TYPES } from "../support/provider-proxy";
import { CommandOptions, describeTerraform, terraform, writeRootFiles } from "../support/terraform";

/**
 * The terraform tier plans against the AWS provider through a proxy that trims its schema to the types the
 * tests use (provider-proxy.ts). Here, `terraform providers schema -json` through the proxy against
 * the provider's own: for every kept type the same schema, and nothing else changed.
 */

interface ProvidersSchema {
  provider_schemas: Record<string, {
    provider: unknown;
    resource_schemas?: Record<string, unknown>;
    data_source_schemas?: Record<string, unknown>;
    ephemeral_resource_schemas?: Record<string, unknown>;
    functions?: Record<string, unknown>;
  }>;
}

const AWS = "registry.terraform.io/hashicorp/aws";
const SCHEMA_MAPS = ["resource_schemas", "data_source_schemas", "ephemeral_resource_schemas"] as const;

/** The types the stack, the module and the tests' roots use: each must be kept. */
const USED_TYPES = {
  resource_schemas: ["aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_logging", "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment", "aws_iam_user", "aws_iam_user_policy", "aws_kms_key", "aws_kms_alias", "aws_kms_grant",
    "aws_glue_catalog_database"],
  data_source_schemas: ["aws_region", "aws_caller_identity"],
};

describeTerraform("the provider schema the terraform tier plans against (terraform tier)", () => {
  let schemas: Promise<{ whole: ProvidersSchema; trimmed: ProvidersSchema }>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-provider-schema-"));

  beforeAll(() => {
    writeRootFiles(dir, { "main.tf": 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n' });
    const schemaJson = async (options: CommandOptions) =>
      JSON.parse((await terraform(dir, ["providers", "schema", "-json"], options)).stdout) as ProvidersSchema;
    // The shared provider itself, and through the proxy (where every command attaches).
    schemas = terraform(dir, ["init", "-input=false", "-no-color"])
      .then(() => Promise.all([schemaJson({ attach: wholeSchemaProviderEnv() }), schemaJson({})]))
      .then(([whole, trimmed]) => ({ whole, trimmed }));
    schemas.catch(() => undefined);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the whole schema is the provider's: far more types than the tier keeps", async () => {
    const { whole } = await schemas;
    expect(Object.keys(whole.provider_schemas[AWS].resource_schemas!).length).toBeGreaterThan(1000);
  });

  test.each(SCHEMA_MAPS)("%s: through the proxy, exactly the kept types, each schema the provider's own", async (map) => {
    const { whole, trimmed } = await schemas;
    const kept = Object.fromEntries(Object.entries(whole.provider_schemas[AWS][map] ?? {}).filter(([type]) => KEPT_TYPES.test(type)));
    expect(trimmed.provider_schemas[AWS][map] ?? {}).toEqual(kept);
  });

  test("the provider's own schema and its functions are left as they are", async () => {
    const { whole, trimmed } = await schemas;
    expect(trimmed.provider_schemas[AWS].provider).toEqual(whole.provider_schemas[AWS].provider);
    expect(trimmed.provider_schemas[AWS].functions).toEqual(whole.provider_schemas[AWS].functions);
    expect(Object.keys(trimmed.provider_schemas)).toEqual(Object.keys(whole.provider_schemas));
  });

  test.each(Object.entries(USED_TYPES))("every type of the %s the tier uses is kept", async (map, types) => {
    const { trimmed } = await schemas;
    const present = Object.keys(trimmed.provider_schemas[AWS][map as keyof typeof USED_TYPES] ?? {});
    expect(types.filter((type) => !present.includes(type))).toEqual([]);
  });
});
