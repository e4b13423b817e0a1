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
      "main.tf.json",
      "outputs.tf.json",
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
    expect(fields).toEqual(["bucket", "region", "role", "encryption", "kms_key_id"]);
  });

  test("the README documents every input and output, from the same descriptions", () => {
    const readme = moduleReadme();
    for (const v of moduleVariables()) {
      const required = v.default === undefined;
      expect(readme).toContain(`| <a name="input_${v.name}"></a> [${v.name}](#input_${v.name}) | ${v.description.replace(/\|/g, "\\|")} | \`${v.type}\` | ` +
        `${required ? "n/a" : `\`${JSON.stringify(v.default)}\``} | ${required ? "yes" : "no"} |`);
    }
    const outputs = (moduleFiles()["outputs.tf.json"] as { output: Record<string, { description: string }> }).output;
    for (const [name, o] of Object.entries(outputs)) expect(readme).toContain(`| <a name="output_${name}"></a> [${name}](#output_${name}) | ${o.description} |`);
    expect(fs.readFileSync(path.join(out, "README.md"), "utf8")).toBe(readme);
  });

  test("the README has terraform-docs' sections in their order, and lists every resource and data source", () => {
    const readme = moduleReadme();
    const headings = readme.split("\n").filter((line) => line.startsWith("## ")).map((line) => line.slice(3));
    const docs = ["Requirements", "Providers", "Modules", "Resources", "Inputs", "Outputs"];
    expect(headings.filter((h) => docs.includes(h))).toEqual(docs);
    const main = moduleFiles()["main.tf.json"] as { resource: Record<string, object>; data: Record<string, object> };
    const listed = [...readme.matchAll(/^\| \[(\w+\.\w+)\]\(https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/latest\/docs\/(resources|data-sources)\/\w+\) \| (resource|data source) \|$/gm)]
      .map((m) => `${m[3]} ${m[1]}`);
    const inModule = [
      ...Object.entries(main.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `resource ${type}.${name}`)),
      ...Object.entries(main.data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data source ${type}.${name}`)),
    ];
    expect(listed).toEqual(inModule);
    expect(readme).toContain("| <a name=\"requirement_terraform\"></a> [terraform](#requirement_terraform) | >= 1.9.0 |");
    expect(readme).toContain("| <a name=\"provider_aws\"></a> [aws](#provider_aws) | >= 5.100.0, < 7.0.0 |");
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
    expect(text).toContain('source = "../.."');
    expect(text).toContain("role_per_project = true");
    expect(text).toContain('project_id = "2002"');
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
