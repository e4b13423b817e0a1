import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildModule } from "../src/module/build-module";
import { MODULE_EXAMPLES, exampleMainTf, moduleInputs } from "../src/module/examples";
import { moduleFiles } from "../src/module/module-json";
import { moduleReadme } from "../src/module/module-readme";
import { SEMVER_TAG, exportModule } from "../src/module/publish";
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
    const expected = ["projects", ...SETTINGS.filter((s) => !s.prop.startsWith("projects") && !(s.prop in NOT_MODULE_VARIABLES)).map((s) => snakeCase(s.prop))];
    expect(names).toEqual(expected);
    for (const variable of moduleVariables()) {
      expect(variable.description.length).toBeGreaterThan(20);
      expect(variable.type).toMatch(/^(string|bool|number|map\(string\)|list\(.+\))$/);
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

  test("the README documents every input and output, from the same descriptions", () => {
    const readme = moduleReadme();
    for (const variable of moduleVariables()) expect(readme).toContain(`| \`${variable.name}\` | ${variable.description.replace(/\|/g, "\\|")} |`);
    for (const file of ["outputs.tf.json", "glue.tf.json"] as const) {
      for (const output of Object.keys((moduleFiles()[file] as { output: object }).output)) expect(readme).toContain(`| \`${output}\` |`);
    }
    expect(fs.readFileSync(path.join(out, "README.md"), "utf8")).toBe(readme);
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
