import { hclAttributes, hclValue } from "../src/module/examples";
import { docsVersion, terraformDocsSection } from "../src/module/terraform-docs";

/**
 * The module README's reference tables as terraform-docs 0.24 (`markdown table`, default settings) writes them, and
 * the examples' HCL as `terraform fmt` lays it out. terraform-docs cannot be installed here (a Go program, not on npm
 * or in Debian); the expected texts follow its templates and its own golden files (format/testdata/markdown/
 * table-*.golden: escaped names, `<pre>` defaults with `<br/>`, `\|`, `n/a`). The HCL was checked with
 * `terraform fmt -check` (1.11.4).
 */

describe("terraformDocsSection", () => {
  test("renders every file's requirements, providers, resources, inputs and outputs as terraform-docs does", () => {
    const files = {
      "versions.tf.json": {
        terraform: {
          required_version: ">= 1.9.0",
          required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.0" }, random: { source: "hashicorp/random" } },
        },
      },
      "variables.tf.json": {
        variable: {
          zone_ids: { type: "list(string)", description: "Zones | where", default: ["a", "b"] },
          name: { type: "string", description: "The name_of it" },
          labels: { type: "map(string)", default: { b: "2", a: "1" } },
          flag: { type: "bool", default: null },
        },
      },
      "extra.tf.json": {
        resource: { random_id: { x: {} }, aws_s3_bucket: { this: {} } },
        data: { aws_region: { current: {} } },
        output: { b_out: { description: "Second" }, a_out: {} },
      },
      "README.md": "not a Terraform file",
    };
    expect(terraformDocsSection(files)).toBe(`<!-- BEGIN_TF_DOCS -->
## Requirements

| Name | Version |
| ---- | ------- |
| <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) | >= 1.9.0 |
| <a name="requirement_aws"></a> [aws](#requirement\\_aws) | >= 5.0 |

## Providers

| Name | Version |
| ---- | ------- |
| <a name="provider_aws"></a> [aws](#provider\\_aws) | >= 5.0 |
| <a name="provider_random"></a> [random](#provider\\_random) | n/a |

## Modules

No modules.

## Resources

| Name | Type |
| ---- | ---- |
| [aws_s3_bucket.this](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket) | resource |
| [random_id.x](https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/id) | resource |
| [aws_region.current](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region) | data source |

## Inputs

| Name | Description | Type | Default | Required |
| ---- | ----------- | ---- | ------- | :------: |
| <a name="input_flag"></a> [flag](#input\\_flag) | n/a | \`bool\` | \`null\` | no |
| <a name="input_labels"></a> [labels](#input\\_labels) | n/a | \`map(string)\` | <pre>{<br/>  "a": "1",<br/>  "b": "2"<br/>}</pre> | no |
| <a name="input_name"></a> [name](#input\\_name) | The name\\_of it | \`string\` | n/a | yes |
| <a name="input_zone_ids"></a> [zone\\_ids](#input\\_zone\\_ids) | Zones \\| where | \`list(string)\` | <pre>[<br/>  "a",<br/>  "b"<br/>]</pre> | no |

## Outputs

| Name | Description |
| ---- | ----------- |
| <a name="output_a_out"></a> [a\\_out](#output\\_a\\_out) | n/a |
| <a name="output_b_out"></a> [b\\_out](#output\\_b\\_out) | Second |
<!-- END_TF_DOCS -->`);
  });

  test("says No ... for an empty section", () => {
    expect(terraformDocsSection({ "main.tf.json": {} })).toBe(["<!-- BEGIN_TF_DOCS -->",
      "## Requirements\n\nNo requirements.", "## Providers\n\nNo providers.", "## Modules\n\nNo modules.", "## Resources\n\nNo resources.",
      "## Inputs\n\nNo inputs.", "## Outputs\n\nNo outputs.\n<!-- END_TF_DOCS -->"].join("\n\n").replace("-->\n\n##", "-->\n##"));
  });

  test("refuses, all at once (inputs and outputs by name), texts terraform-docs would render by rules it does not reproduce, and module calls", () => {
    const files = {
      "variables.tf.json": {
        variable: {
          lines: { type: "string", description: "two\nlines" },
          code: { type: "string", description: "see `kms_key`" },
          link: { type: "string", description: "see https://example.com/a_b" },
        },
      },
      "outputs.tf.json": { output: { loud: { description: "an _important_ value" } } },
      "main.tf.json": { module: { child: { source: "./child" } } },
    };
    expect(() => terraformDocsSection(files)).toThrow(new Error(`the module README's terraform-docs section cannot be generated:
- main.tf.json: module calls are not rendered; add the Modules table to terraform-docs.ts
- variables.tf.json: variable code: the description holds a code span (terraform-docs leaves it unescaped); reword it
- variables.tf.json: variable lines: the description holds a line break (terraform-docs turns it into <br/> by rules of its own); reword it
- variables.tf.json: variable link: the description holds a URL (terraform-docs takes its escapes out again); reword it
- outputs.tf.json: output loud: the description holds _emphasis_ (terraform-docs leaves those underscores unescaped); reword it`));
  });

  test.each([
    [">= 5.100.0, < 7.0.0", "latest"], ["~> 5.0", "latest"], [">= 5.0", "latest"], [undefined, "latest"],
    ["5.100.0", "5.100.0"], ["=5.100.0", "5.100.0"], ["= 5.100.0", "5.100.0"],
  ])("links the provider docs of %s as version %s", (constraint, version) => {
    expect(docsVersion(constraint)).toBe(version);
  });
});

describe("HCL as terraform fmt lays it out", () => {
  test("aligns = in each run of one-line attributes; a value over several lines ends the run; empty collections stay on one line", () => {
    const value = { a: 1, tags: { "cost-center": "42", team: "data", t: {} }, nested: { x: [1, { deep_key: true, k: "v" }], yy: null }, zz: [], last: "x", l2: false };
    expect(`module "m" {\n${hclAttributes(Object.entries(value).map(([k, v]) => [k, hclValue(v, "  ")]), "  ")}\n}\n`).toBe(`module "m" {
  a = 1
  tags = {
    "cost-center" = "42"
    team          = "data"
    t             = {}
  }
  nested = {
    x = [
      1,
      {
        deep_key = true
        k        = "v"
      },
    ]
    yy = null
  }
  zz   = []
  last = "x"
  l2   = false
}
`);
  });
});
