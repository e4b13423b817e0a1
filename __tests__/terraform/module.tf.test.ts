import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildModule } from "../../src/module/build-module";
import { MODULE_EXAMPLES } from "../../src/module/examples";
import { parse, synthStack } from "../support/synth";
import { OFFLINE_PROVIDER_SETTINGS, TerraformError, ValidationResult, countByType, describeTerraform, terraform, validateJson } from "../support/terraform";
import { planJson } from "../support/deployed-state";
import { moduleCall } from "../support/plan-roots";

/**
 * The plain-Terraform module, proven with real terraform: the module (its tests included) and every example
 * validate (the examples in one root that calls them all), every file the build writes passes `terraform fmt
 * -check`, `terraform test` passes, and for each example's inputs a call of
 * the module by path (every example's call in one root, one plan) plans the same resources (types and counts)
 * and the same policy documents as the cdktf stack.
 */

const work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-module-"));
const moduleDir = path.join(work, "terraform-aws-mixpanel-s3-export");

afterAll(() => {
  if (process.env.KEEP_TF_DIRS !== "1") fs.rmSync(work, { recursive: true, force: true });
});

interface ShowJson {
  resource_changes: { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> | null } }[];
}

/** The module call of each example in the root that plans them all, by example name. */
const callOf = (name: string) => `example_${name.replace(/-/g, "_")}`;

/**
 * One root calling the module by path once per example, with the example's inputs, each call on a provider
 * in the example's region: one plan for all the examples.
 */
function examplesPlanRoot(): Record<string, string> {
  const regions = [...new Set(MODULE_EXAMPLES.map((e) => e.props.region!))];
  const alias = (region: string) => region.replace(/-/g, "_");
  return {
    "main.tf": [
      ...regions.map((region) => `provider "aws" {\n  alias  = "${alias(region)}"\n  region = "${region}"\n${Object.entries(OFFLINE_PROVIDER_SETTINGS)
        .map(([key, value]) => `  ${key} = ${JSON.stringify(value)}`).join("\n")}\n}\n`),
      ...MODULE_EXAMPLES.map((e) => moduleCall(callOf(e.name), moduleDir, e.props, [`providers = { aws = aws.${alias(e.props.region!)} }`])),
    ].join("\n"),
  };
}

/** An example's folder in the built module, from the root that validates them. */
const exampleSource = (name: string) => `../${path.basename(moduleDir)}/examples/${name}`;

/**
 * One root calling every example as shipped (`source = "../.."` inside the module's examples/ folder), so one
 * `terraform validate` checks them all; each example's diagnostics are those of its own files.
 */
function writeExamplesRoot(dir: string): void {
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({
    module: Object.fromEntries(MODULE_EXAMPLES.map((e) => [e.name.replace(/-/g, "_"), { source: exampleSource(e.name) }])),
  }, null, 2));
}

/**
 * The module's addresses are a contract with every state holding them (see src/module/upgrading.ts): each
 * example's planned addresses, pinned. A change here needs a moved block in MODULE_MOVES.
 */
const BUCKET = ["aws_s3_bucket.this[0]", "aws_s3_bucket_lifecycle_configuration.this[0]", "aws_s3_bucket_ownership_controls.this[0]",
  "aws_s3_bucket_policy.tls_only[0]", "aws_s3_bucket_public_access_block.this[0]"];
const SHARED_ROLE = ["aws_iam_policy.data_access[0]", 'aws_iam_role.this["shared"]', 'aws_iam_role_policy_attachment.data_access["shared"]'];
const SSE = "aws_s3_bucket_server_side_encryption_configuration.this[0]";
const CUSTOMER_KEY = ["aws_iam_policy.kms[0]", 'aws_iam_role_policy_attachment.kms["shared"]'];
const PINNED_ADDRESSES: Record<string, readonly string[]> = {
  "basic": [...BUCKET, ...SHARED_ROLE],
  "aes": [...BUCKET, ...SHARED_ROLE, SSE],
  "kms-aws-managed-key": [...BUCKET, ...SHARED_ROLE, SSE],
  "kms-existing-key": [...BUCKET, ...SHARED_ROLE, SSE, ...CUSTOMER_KEY],
  "kms-created-key": [...BUCKET, ...SHARED_ROLE, SSE, ...CUSTOMER_KEY, "aws_kms_alias.this[0]", "aws_kms_key.this[0]"],
  "existing-bucket": [...SHARED_ROLE],
  "per-project-roles": [...BUCKET, ...["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "00112233445566778899aabbccddeeff"]
    .flatMap((t) => [`aws_iam_policy.scoped_data_access["${t}"]`, `aws_iam_role.this["${t}"]`, `aws_iam_role_policy_attachment.data_access["${t}"]`])],
  "redshift-spectrum": [...BUCKET, ...SHARED_ROLE, SSE, ...CUSTOMER_KEY, "aws_kms_alias.this[0]", "aws_kms_key.this[0]",
    "aws_glue_catalog_database.this[0]", "aws_iam_policy.glue[0]", "aws_iam_role.glue[0]", "aws_iam_role_policy_attachment.glue[0]",
    "aws_iam_policy.redshift[0]", "aws_iam_policy.redshift_kms[0]", "aws_iam_role.redshift[0]",
    "aws_iam_role_policy_attachment.redshift[0]", "aws_iam_role_policy_attachment.redshift_kms[0]"],
};

/** Policy-bearing attributes of IAM and bucket-policy resources, keyed by a name both sides share. */
function documentsOf(resources: { type: string; values: Record<string, unknown> }[]): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const { type, values } of resources) {
    if (type === "aws_iam_policy") {
      documents[`policy ${values.name}`] = { path: values.path, description: values.description, policy: parseIfKnown(values.policy) };
    } else if (type === "aws_iam_role") {
      documents[`role ${values.name}`] = {
        path: values.path, description: values.description, max_session_duration: values.max_session_duration,
        trust: parseIfKnown(values.assume_role_policy),
      };
    } else if (type === "aws_s3_bucket_policy") {
      documents["bucket policy"] = parseIfKnown(values.policy);
    } else if (type === "aws_glue_catalog_database") {
      documents[`Glue database ${values.name}`] = { description: values.description, tags: values.tags ?? null };
    }
  }
  return documents;
}

/** A policy known at plan is compared parsed; one naming a resource created in the same plan is "unknown". */
function parseIfKnown(value: unknown): unknown {
  if (typeof value !== "string") return "(known after apply)";
  return value.includes("${") ? "(known after apply)" : JSON.parse(value);
}

describeTerraform("the Terraform module (terraform tier)", () => {
  let plans: Promise<ShowJson>;
  let examples: Promise<ValidationResult>;

  beforeAll(async () => {
    buildModule(moduleDir);
    // Installs the provider from the mirror: checks the module's version constraint against it.
    await terraform(moduleDir, ["init", "-input=false", "-no-color"], { ownProvider: true });
    // Every example's call planned in one root; awaited by the tests.
    plans = planJson(examplesPlanRoot()).then((json) => JSON.parse(json) as ShowJson);
    plans.catch(() => undefined);
    const examplesRoot = path.join(work, "examples-validated");
    writeExamplesRoot(examplesRoot);
    // Installs the provider too: checks the examples' version constraints against the mirror's.
    examples = terraform(examplesRoot, ["init", "-input=false", "-no-color"], { ownProvider: true }).then(() => validateJson(examplesRoot));
    examples.catch(() => undefined);
  });

  /** One example's resource changes, at their addresses inside its call (`module.<call>.` left out). */
  async function changesOf(name: string): Promise<ShowJson["resource_changes"]> {
    const prefix = `module.${callOf(name)}.`;
    return (await plans).resource_changes.filter((c) => c.address.startsWith(prefix)).map((c) => ({ ...c, address: c.address.slice(prefix.length) }));
  }

  test("the module validates, its tests/*.tftest.hcl included", async () => {
    // terraform validate checks the test files of tests/ too, unless given -no-tests.
    const { stdout } = await terraform(moduleDir, ["validate", "-json", "-no-color"]);
    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ valid: true, error_count: 0, warning_count: 0 }));
  });

  test("everything the build writes passes terraform fmt -check -recursive (examples/*/main.tf, tests/*.tftest.hcl)", async () => {
    // Exit code 3 and the unformatted files on stdout; any other failure (a file fmt cannot parse) is thrown.
    const unformatted = await terraform(moduleDir, ["fmt", "-check", "-recursive", "-no-color"]).then(({ stdout }) => stdout, (error: unknown) => {
      if (!(error instanceof TerraformError) || error.stdout === "") throw error;
      return error.stdout;
    });
    expect(unformatted.split("\n").filter((line) => line !== "")).toEqual([]);
  });

  test.each(MODULE_EXAMPLES.map((e) => [e.name]))("example %s validates as shipped (source = \"../..\")", async (name) => {
    const { diagnostics } = await examples;
    const own = diagnostics.filter((d) => d.range?.filename.startsWith(`${exampleSource(name)}/`));
    expect(own.filter((d) => d.severity === "error")).toEqual([]);
    // Diagnostics of no example's files would be the batch root's own: there are none.
    expect(diagnostics.filter((d) => !MODULE_EXAMPLES.some((e) => d.range?.filename.startsWith(`${exampleSource(e.name)}/`)))).toEqual([]);
  });

  test("terraform test passes (mock provider, plan and apply runs, expected failures)", async () => {
    const { stdout } = await terraform(moduleDir, ["test", "-no-color"]);
    const summary = /Success! (\d+) passed, 0 failed\./.exec(stdout);
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThanOrEqual(5);
  });

  describe.each(MODULE_EXAMPLES.map((e) => [e.name, e]))("example %s through the module, against the cdktf stack", (_name, example) => {
    const synthesized = parse(synthStack(example.props));
    const stackResources = Object.entries(synthesized.resource ?? {})
      .flatMap(([type, byName]) => Object.values(byName).map((values) => ({ type, values })));

    test("plans only creations", async () => {
      const changes = await changesOf(example.name);
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.filter((c) => c.change.actions.join() !== "create")).toEqual([]);
    });

    test("plans exactly the pinned addresses", async () => {
      expect((await changesOf(example.name)).map((c) => c.address).sort()).toEqual([...PINNED_ADDRESSES[example.name]].sort());
    });

    test("plans the same resource types and counts as the stack synthesizes", async () => {
      expect(countByType((await changesOf(example.name)).map((c) => c.type))).toEqual(countByType(stackResources.map((r) => r.type)));
    });

    test("plans the same roles, policies and policy documents as the stack synthesizes", async () => {
      // Each resource's planned values (`change.after`: values known only after apply are left out, as in planned_values).
      const planned = (await changesOf(example.name)).map((c) => ({ type: c.type, values: c.change.after ?? {} }));
      const documents = documentsOf(planned);
      expect(documents).toEqual(documentsOf(stackResources));
      // The comparison means something only if the documents are known at plan: the data policy and every trust policy are.
      const known = Object.entries(documents).filter(([, d]) => !JSON.stringify(d).includes("(known after apply)"));
      expect(known.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(documents)).toContain("arn:aws:iam::485438090326:user/mixpanel-export");
    });
  });
});
