import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runAdopt } from "../../src/cli/adopt";
import { buildModule } from "../../src/module/build-module";
import { ChangePlan, appliedState, keepOnlyAt, planFilesAgainstState } from "../support/deployed-state";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN } from "../support/synth";
import { OFFLINE_PROVIDER_SETTINGS, describeTerraform, terraform } from "../support/terraform";

/**
 * Adopting a set-up made by hand into a call of the registry module, offline: `mixpanel-s3-export adopt`
 * prints the import blocks for the call in __tests__/fixtures/handmade/adopting-root/; their targets must be
 * exactly addresses the module plans. The hand-made set-up (applied with a mocked provider) is then placed
 * at those targets, as the import would place it, and the root is planned against that state.
 */
const FIXTURES = path.join(__dirname, "..", "fixtures", "handmade");
const ROLE_NAME = "mixpanel-export-handmade";
const MOCK_ROLE_ARN = "arn:aws:iam::111122223333:role/mock";
const OFFLINE = JSON.stringify({ provider: { aws: OFFLINE_PROVIDER_SETTINGS } });

/** What the adopt command prints for the root's module call, and the hand-made resource each block takes. */
function printedImports(encryption: "AES" | "KMS"): { text: string; targets: Record<string, string> } {
  let text = "";
  const code = runAdopt(["--module", "module.mixpanel", "--bucket", BUCKET, "--encryption", encryption, "--role", ROLE_NAME],
    { stdout: (out) => { text += out; }, stderr: (err) => { throw new Error(err); } });
  if (code !== 0) throw new Error(`adopt exited ${code}`);
  const targets = [...text.matchAll(/to = (\S+)/g)].map(([, to]) => to);
  const handmade = (to: string) => `${to.replace(/^module\.mixpanel\./, "").split(".")[0]}.${to.includes("aws_iam_role") ? "mixpanel" : "export"}`;
  return { text, targets: Object.fromEntries(targets.map((to) => [handmade(to), to])) };
}

/** The types of the resources whose planned action is `action`, sorted. */
function typesWith(actions: Record<string, string[]>, action: string): string[] {
  return Object.entries(actions).filter(([, a]) => a.join("+") === action).map(([address]) => address.split(".").slice(-2)[0]).sort();
}

const VARIANTS: ["AES" | "KMS", Record<string, string>][] = [["AES", {}], ["KMS", { kms_key_arn: CUSTOMER_KEY_ARN }]];

describeTerraform("adopting a set-up made by hand into the registry module (terraform tier)", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-module-adoption-"));
  const moduleDir = path.join(work, "terraform-aws-mixpanel-s3-export");
  const root = fs.readFileSync(path.join(FIXTURES, "adopting-root", "main.tf"), "utf8");
  const rootFiles = (variables: Record<string, string>, imports?: string) => ({
    "main.tf": root,
    "offline_override.tf.json": OFFLINE,
    "terraform.tfvars.json": JSON.stringify(variables),
    ...(imports === undefined ? {} : { "imports.tf": imports }),
  });

  beforeAll(() => { buildModule(moduleDir); });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  describe.each(VARIANTS)("encryption %s", (encryption, variables) => {
    const imports = printedImports(encryption);

    test("the printed import blocks target exactly resources the module call plans, instance keys included", async () => {
      const dir = fs.mkdtempSync(path.join(work, "plan-"));
      for (const [name, text] of Object.entries(rootFiles(variables))) fs.writeFileSync(path.join(dir, name), text);
      fs.symlinkSync(moduleDir, path.join(dir, "terraform-aws-mixpanel-s3-export"));
      await terraform(dir, ["init", "-input=false", "-no-color"]);
      await terraform(dir, ["plan", "-input=false", "-no-color", "-out=plan.bin"]);
      const show = JSON.parse((await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout) as { resource_changes: { address: string }[] };
      const planned = show.resource_changes.map((change) => change.address);
      expect(Object.values(imports.targets).filter((to) => !planned.includes(to))).toEqual([]);
      expect(Object.values(imports.targets).length).toBe(5);
    });

    describe("planned against the hand-made set-up placed where the import puts it", () => {
      let plan: Promise<ChangePlan>;

      beforeAll(() => {
        plan = appliedState({ "main.tf": fs.readFileSync(path.join(FIXTURES, "main.tf"), "utf8"), "offline_override.tf.json": OFFLINE },
          { bucket: BUCKET, role_name: ROLE_NAME, project_token: TOKEN, ...variables })
          .then((applied) => {
            const dir = fs.mkdtempSync(path.join(work, "state-"));
            fs.symlinkSync(moduleDir, path.join(dir, "terraform-aws-mixpanel-s3-export"));
            return planFilesAgainstState({ ...rootFiles(variables, imports.text) }, keepOnlyAt(applied, imports.targets), dir);
          });
        plan.catch(() => undefined);
      });

      test("nothing is destroyed or replaced; the policies and attachments are created, the rest kept or updated in place", async () => {
        const { actions } = await plan;
        expect(Object.entries(actions).filter(([, a]) => a.includes("delete"))).toEqual([]);
        const kms = encryption === "KMS" ? ["aws_iam_policy", "aws_iam_role_policy_attachment"] : [];
        expect(typesWith(actions, "create")).toEqual(["aws_iam_policy", ...kms, "aws_iam_role_policy_attachment",
          "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy"].sort());
        const kept = [...typesWith(actions, "no-op"), ...typesWith(actions, "update")].sort();
        expect(kept).toEqual(Object.keys(imports.targets).map((address) => address.split(".")[0]).sort());
      });

      test("the role keeps its name, path and ARN", async () => {
        const role = (await plan).after['module.mixpanel.aws_iam_role.this["shared"]'];
        expect({ name: role.name, path: role.path, arn: role.arn }).toEqual({ name: ROLE_NAME, path: "/", arn: MOCK_ROLE_ARN });
      });
    });
  });
});
