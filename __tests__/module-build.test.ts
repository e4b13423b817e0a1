import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildModule } from "../src/module/build-module";
import { MODULE_EXAMPLES, exampleMainTf, moduleInputs } from "../src/module/examples";
import { moduleFiles } from "../src/module/module-json";
import { moduleReadme } from "../src/module/module-readme";
import { SEMVER_TAG, exportModule } from "../src/module/publish";
import { MODULE_MOVES, movedBlocks, upgradingMarkdown } from "../src/module/upgrading";
import { moduleVariables, NOT_MODULE_VARIABLES, snakeCase } from "../src/module/variables";
import { SETTINGS } from "../src/settings/catalog";

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-module-build-"));

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  }).sort();
}

describe("the module build", () => {
  const out = path.join(temp(), "terraform-aws-mixpanel-s3-export");
  const written = buildModule(out);

  test("writes the registry's standard structure", () => {
    expect(listFiles(out)).toEqual([
      "README.md",
      ...MODULE_EXAMPLES.map((e) => `examples/${e.name}/main.tf`),
      "glue.tf.json",
      "main.tf.json",
      "outputs.tf.json",
      "tests/glue.tftest.hcl",
      "tests/validation.tftest.hcl",
      "tests/variants.tftest.hcl",
      "UPGRADING.md",
      "variables.tf.json",
      "versions.tf.json",
    ].sort());
    expect([...written].sort()).toEqual(listFiles(out));
  });

  test("has no provider block and no backend: a module takes its provider from the caller", () => {
    for (const [, content] of Object.entries(moduleFiles())) {
      expect(content).not.toHaveProperty("provider");
      expect((content as { terraform?: object }).terraform ?? {}).not.toHaveProperty("backend");
    }
  });

  test("requires a provider range that admits 5.100.0 and every 6.x, and Terraform 1.9+", () => {
    expect(moduleFiles()["versions.tf.json"]).toEqual({
      terraform: {
        required_version: ">= 1.9.0",
        required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } },
      },
    });
  });

  test("every construct setting is a snake_case variable, except those Terraform cannot take", () => {
    const names = moduleVariables().map((v) => v.name);
    const fromSettings = SETTINGS.filter((s) => !s.prop.startsWith("projects") && !(s.prop in NOT_MODULE_VARIABLES)).map((s) => snakeCase(s.prop));
    // Two module-only inputs: the projects as objects, and the key object beside kms_key_arn.
    const keyArnAt = fromSettings.indexOf("kms_key_arn") + 1;
    expect(names).toEqual(["projects", ...fromSettings.slice(0, keyArnAt), "kms_key", ...fromSettings.slice(keyArnAt)]);
    for (const variable of moduleVariables()) {
      expect(variable.description.length).toBeGreaterThan(20);
      expect(variable.type).toMatch(/^(string|bool|number|map\(string\)|list\(.+\)|object\(.+\))$/);
    }
  });

  test("outputs are the form's values, and mixpanel_settings has exactly the form's fields", () => {
    const outputs = (moduleFiles()["outputs.tf.json"] as { output: Record<string, { value: string }> }).output;
    expect(Object.keys(outputs)).toEqual(["bucket", "region", "role_arn", "role_arns", "encryption", "kms_key_id", "mixpanel_settings"]);
    const fields = /^\$\{\{ (.*) \}\}$/.exec(outputs.mixpanel_settings.value)![1].split(/, (?=\w+ = )/).map((f) => f.split(" = ")[0]);
    expect(fields).toEqual(["bucket", "region", "role", "encryption", "kms_key_id", "glue_database", "glue_region", "glue_role", "redshift_role"]);
    // The Glue part's outputs, in its own file: the form's Glue and Redshift fields.
    const glueOutputs = (moduleFiles()["glue.tf.json"] as { output: Record<string, { value: string }> }).output;
    expect(Object.keys(glueOutputs)).toEqual(["glue_database", "glue_region", "glue_role_arn", "redshift_role_arn"]);
  });

  test("README.md is the README generated from the module's files", () => {
    expect(fs.readFileSync(path.join(out, "README.md"), "utf8")).toBe(moduleReadme());
  });

  describe("README.md's terraform-docs section, against the module's files as built", () => {
    const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
    // Every Terraform file the build wrote, read back from disk: a new file or block is in here with nothing to add.
    const files = listFiles(out).filter((file) => file.endsWith(".tf.json")).map((file) => JSON.parse(fs.readFileSync(path.join(out, file), "utf8")) as {
      terraform?: { required_version: string; required_providers: Record<string, { version: string }> };
      variable?: Record<string, { type: string; description: string; default?: unknown }>;
      output?: Record<string, { description: string }>;
      resource?: Record<string, Record<string, unknown>>;
      data?: Record<string, Record<string, unknown>>;
    });
    const section = readme.slice(readme.indexOf("<!-- BEGIN_TF_DOCS -->"), readme.indexOf("<!-- END_TF_DOCS -->"));
    /** The cells of each row of the table under `## <heading>`, unescaped (`\\_` and `\\|` are terraform-docs' escapes). */
    const rows = (heading: string) => {
      const body = section.split(`\n## ${heading}\n`)[1].split("\n## ")[0];
      return body.split("\n").filter((line) => line.startsWith("| ")).slice(2)
        .map((line) => line.slice(2, -2).split(/ (?<!\\)\| /).map((cell) => cell.replace(/\\([_|])/g, "$1")));
    };
    /** `<a name="input_x"></a> [x](#input_x)` -> `x`, checking that the anchor, the text and the link name the same. */
    const anchorName = (kind: string, cell: string) => {
      const [, anchor, text, target] = new RegExp(`^<a name="${kind}_(\\w+)"></a> \\[(\\w+)\\]\\(#${kind}_(\\w+)\\)$`).exec(cell)!;
      expect([text, target]).toEqual([anchor, anchor]);
      return anchor;
    };
    const code = (cell: string) => cell.replace(/^`(.*)`$/, "$1").replace(/^<pre>(.*)<\/pre>$/, "$1").replace(/<br\/>/g, "\n");

    test("stands once, between terraform-docs' markers, with its sections in terraform-docs' order", () => {
      expect(readme.split("<!-- BEGIN_TF_DOCS -->")).toHaveLength(2);
      expect(readme.split("<!-- END_TF_DOCS -->")).toHaveLength(2);
      expect(readme.indexOf("<!-- BEGIN_TF_DOCS -->\n## Requirements\n")).toBeGreaterThan(0);
      expect(section.split("\n").filter((line) => line.startsWith("## "))).toEqual(
        ["Requirements", "Providers", "Modules", "Resources", "Inputs", "Outputs"].map((h) => `## ${h}`));
      expect(section).toContain("\n## Modules\n\nNo modules.\n\n## Resources\n");
    });

    test("Requirements and Providers: the versions the module requires", () => {
      const versions = files.find((f) => f.terraform)!.terraform!;
      expect(rows("Requirements")).toEqual([
        ['<a name="requirement_terraform"></a> [terraform](#requirement_terraform)', versions.required_version],
        ['<a name="requirement_aws"></a> [aws](#requirement_aws)', versions.required_providers.aws.version],
      ]);
      expect(rows("Providers")).toEqual([['<a name="provider_aws"></a> [aws](#provider_aws)', versions.required_providers.aws.version]]);
    });

    test("Resources: every resource and data source of every file, the Glue part's included, each linked to its docs", () => {
      const blocks = (kind: "resource" | "data") => files.flatMap((f) => Object.entries(f[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => [
        `[${type}.${name}](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/${kind === "resource" ? "resources" : "data-sources"}/${type.replace(/^aws_/, "")})`,
        kind === "resource" ? "resource" : "data source",
      ]))).sort(([a], [b]) => (a < b ? -1 : 1));
      expect(rows("Resources")).toEqual([...blocks("resource"), ...blocks("data")]);
      expect(rows("Resources").map(([name]) => name.split("]")[0].slice(1))).toEqual(expect.arrayContaining([
        "aws_glue_catalog_database.this", "aws_iam_role.glue", "aws_iam_role.redshift", "aws_iam_policy.glue", "aws_iam_policy.redshift",
        "aws_iam_policy.redshift_kms", "aws_iam_role_policy_attachment.glue", "aws_iam_role_policy_attachment.redshift",
        "aws_iam_role_policy_attachment.redshift_kms", "aws_region.current",
      ]));
    });

    test("Inputs: every variable of every file, by name, with its description, type, default and whether it is required", () => {
      const declared = files.flatMap((f) => Object.entries(f.variable ?? {})).sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, v]) => ({ name, description: v.description, type: v.type, default: v.default, required: v.default === undefined ? "yes" : "no" }));
      const listed = rows("Inputs").map(([anchor, description, type, defaultCell, required]) => ({
        name: anchorName("input", anchor), description, type: code(type),
        default: defaultCell === "n/a" ? undefined : JSON.parse(code(defaultCell)), required,
      }));
      expect(listed).toEqual(declared);
      expect(declared.length).toBe(moduleVariables().length);
    });

    test("Outputs: every output of every file, by name, with its description", () => {
      const declared = files.flatMap((f) => Object.entries(f.output ?? {})).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, o]) => [name, o.description]);
      expect(rows("Outputs").map(([anchor, description]) => [anchorName("output", anchor), description])).toEqual(declared);
      expect(declared.map(([name]) => name)).toEqual(expect.arrayContaining(["mixpanel_settings", "glue_role_arn", "redshift_role_arn"]));
    });

    test("rows read as terraform-docs writes them (escaped names and descriptions, backticked types and defaults)", () => {
      expect(section).toContain("\n| ---- | ----------- | ---- | ------- | :------: |\n" +
        "| <a name=\"input_abort_incomplete_uploads_days\"></a> [abort\\_incomplete\\_uploads\\_days](#input\\_abort\\_incomplete\\_uploads\\_days) | " +
        "Abort multipart uploads left incomplete after this many days. 0 turns the rule off. Default: 7. | `number` | `7` | no |\n");
      expect(section).toContain("\n| <a name=\"input_bucket_name\"></a> [bucket\\_name](#input\\_bucket\\_name) | Name of the S3 bucket Mixpanel writes to. | `string` | n/a | yes |\n");
      expect(section).toContain("\n| <a name=\"input_tags\"></a> [tags](#input\\_tags) | Tags for every taggable resource, as a map of strings; merged with the " +
        "provider's default\\_tags (these win on the same key). Default: {}. | `map(string)` | `{}` | no |\n");
      expect(section).toContain("\n| [aws_iam_role.glue](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role) | resource |\n");
      expect(readme).toContain("\n| <a name=\"output_role_arns\"></a> [role\\_arns](#output\\_role\\_arns) | Mixpanel form: Role, for each project token (sensitive when a token is) |\n<!-- END_TF_DOCS -->");
    });
  });

  test("every count and for_each on the customer key carries the words Terraform's Invalid count argument will print", () => {
    const onKey = Object.entries(moduleFiles()).flatMap(([file, content]) => Object.entries((content as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {})
      .flatMap(([type, byName]) => Object.entries(byName).flatMap(([name, block]) => (["count", "for_each"] as const)
        .filter((meta) => String(block[meta] ?? "").includes("local.has_customer_key")).map((meta) => [`${file} ${type}.${name} ${meta}`, block[meta] as string]))));
    expect(onKey.map(([where]) => where).sort()).toEqual([
      "glue.tf.json aws_iam_policy.redshift_kms count", "glue.tf.json aws_iam_role_policy_attachment.redshift_kms count",
      "main.tf.json aws_iam_policy.kms count", "main.tf.json aws_iam_role_policy_attachment.kms for_each",
    ]);
    const words = "/* kms_key_arn: must be known at plan (text, a variable, a data source), since it decides whether the KMS policy exists; " +
      "an ARN known only after apply, such as aws_kms_key.<name>.arn of the same configuration, fails with Terraform's Invalid count argument. " +
      "Fix: give such a key as kms_key = { arn = aws_kms_key.<name>.arn }. */ local.has_customer_key";
    for (const [, expression] of onKey) expect(expression.split("local.has_customer_key").length - 1).toBe(expression.split(words).length - 1);
    expect(moduleVariables().find((v) => v.name === "kms_key_arn")!.description).toMatch(/^Must be known at plan \(text, a variable, a data source\), since it decides whether the KMS policy exists; an ARN known only after apply, such as aws_kms_key\.<name>\.arn of the same configuration, fails with Terraform's Invalid count argument: give such a key as kms_key = \{ arn = aws_kms_key\.<name>\.arn \}\. With KMS: /);
  });

  test("descriptions speak to module users: no environment variables, cdktf or stack wording", () => {
    const outputs = Object.values((moduleFiles()["outputs.tf.json"] as { output: Record<string, { description: string }> }).output);
    const texts = [...moduleVariables().map((v) => `${v.name}: ${v.description}`), ...outputs.map((o) => o.description)];
    const stackWords = /MIXPANEL_|AWS_REGION|environment variable|cdktf|deployable|\bstack\b|JSON object|comma-separated|context key/i;
    expect(texts.filter((text) => stackWords.test(text))).toEqual([]);
  });

  test("the examples list gives each example's title as written", () => {
    const readme = moduleReadme();
    for (const e of MODULE_EXAMPLES) expect(readme).toContain(`[\`${e.name}\`](examples/${e.name}) (${e.title})`);
    expect(readme).toContain("(SSE-S3 (Mixpanel's AES choice))");
  });

  test("UPGRADING.md lists every address change, and the module carries a moved block for each", () => {
    const main = moduleFiles()["main.tf.json"] as { moved?: unknown };
    expect(main.moved ?? []).toEqual(movedBlocks(MODULE_MOVES));
    expect(fs.readFileSync(path.join(out, "UPGRADING.md"), "utf8")).toBe(upgradingMarkdown());
    const sample = [{ version: "2.0.0", from: 'aws_iam_role.this["shared"]', to: "aws_iam_role.shared", reason: "an example" }];
    expect(movedBlocks(sample)).toEqual([{ from: 'aws_iam_role.this["shared"]', to: "aws_iam_role.shared" }]);
    expect(upgradingMarkdown(sample)).toContain('| 2.0.0 | `aws_iam_role.this["shared"]` | `aws_iam_role.shared` | an example |');
    expect(upgradingMarkdown(sample)).toContain('moved {\n  from = aws_iam_role.this["shared"]\n  to   = aws_iam_role.shared\n}');
  });

  test("the module's resource blocks are pinned: renaming one needs a moved block (MODULE_MOVES) and this list", () => {
    const main = moduleFiles()["main.tf.json"] as { resource: Record<string, object>; data: Record<string, object> };
    const blocks = Object.entries(main.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    expect(blocks.sort()).toEqual([
      "aws_iam_policy.data_access", "aws_iam_policy.kms", "aws_iam_policy.scoped_data_access", "aws_iam_role.this",
      "aws_iam_role_policy_attachment.data_access", "aws_iam_role_policy_attachment.kms", "aws_kms_alias.this", "aws_kms_key.this",
      "aws_s3_bucket.this", "aws_s3_bucket_lifecycle_configuration.this", "aws_s3_bucket_logging.this",
      "aws_s3_bucket_ownership_controls.this", "aws_s3_bucket_policy.tls_only", "aws_s3_bucket_public_access_block.this",
      "aws_s3_bucket_server_side_encryption_configuration.this", "aws_s3_bucket_versioning.this",
    ]);
    expect(Object.keys(main.data)).toEqual(["aws_region"]);
  });

  test("each example is a root module calling the module from ../.. with the example's inputs", () => {
    const perProject = MODULE_EXAMPLES.find((e) => e.name === "per-project-roles")!;
    const text = fs.readFileSync(path.join(out, "examples", "per-project-roles", "main.tf"), "utf8");
    expect(text).toBe(exampleMainTf(perProject));
    // As terraform fmt lays it out (the terraform tier runs terraform fmt -check on every example).
    expect(text).toContain(`module "mixpanel_s3_export" {
  source = "../.."

  projects = [
    {
      token      = "0123456789abcdef0123456789abcdef"
      project_id = "1001"
    },
    {
      token      = "fedcba9876543210fedcba9876543210"
      project_id = "2002"
    },
    {
      token      = "00112233445566778899aabbccddeeff"
      project_id = "3003"
    },
  ]
  bucket_name             = "acme-mixpanel-export"
  role_per_project        = true
  scope_to_project_prefix = true
  events_expiration_days  = 730
  tags = {
    team = "data"
  }
}
`);
    expect(moduleInputs(perProject.props)).toEqual(expect.objectContaining({ scope_to_project_prefix: true, events_expiration_days: 730, tags: { team: "data" } }));
  });
});

describe("publishing to the registry repository", () => {
  test("export makes the working tree hold exactly the build, keeping .git, LICENSE and .github", () => {
    const built = path.join(temp(), "built");
    buildModule(built);
    const repo = temp();
    fs.mkdirSync(path.join(repo, ".git"));
    fs.writeFileSync(path.join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
    fs.writeFileSync(path.join(repo, "LICENSE"), "license text");
    fs.writeFileSync(path.join(repo, "old.tf.json"), "{}");
    fs.mkdirSync(path.join(repo, "examples", "removed-example"), { recursive: true });
    fs.writeFileSync(path.join(repo, "examples", "removed-example", "main.tf"), "");

    exportModule(built, repo);

    expect(listFiles(repo)).toEqual([".git/HEAD", "LICENSE", ...listFiles(built)].sort());
    for (const file of listFiles(built)) {
      expect(fs.readFileSync(path.join(repo, file), "utf8")).toBe(fs.readFileSync(path.join(built, file), "utf8"));
    }
  });

  test.each([["v1.2.3", true], ["v0.1.0", true], ["1.2.3", false], ["v1.2", false], ["v01.2.3", false], ["v1.2.3-rc1", false]])(
    "tag %s is a release tag: %s", (tag, ok) => {
      expect(SEMVER_TAG.test(tag as string)).toBe(ok);
    });
});
