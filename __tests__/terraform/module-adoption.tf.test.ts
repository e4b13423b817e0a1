import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runAdopt } from "../../src/cli/adopt";
import { buildModule } from "../../src/module/build-module";
import { BatchedRootsPlan, planRootsJson, rootsChanges } from "../support/batched-plans";
import { ChangePlan, RootFiles, deployRoots, keepOnlyAt, typesWithAction } from "../support/deployed-state";
import { planExport } from "../../src/config/export-plan";
import { withDefaults } from "../../src/config/props";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, TOKEN_B } from "../support/synth";
import { OFFLINE_PROVIDER_SETTINGS, describeTerraform } from "../support/terraform";

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

/** What the adopt command prints for `args` (after --module <module>), and the hand-made resource each block takes. */
function printedImports(args: readonly string[], handmade: (to: string) => string, module = "module.mixpanel"): { text: string; targets: Record<string, string> } {
  let text = "";
  let stderr = "";
  // module.mixpanel, without an instance key and without --plan, comes with a note on stderr.
  const code = runAdopt(["--module", module, ...args], { stdout: (out) => { text += out; }, stderr: (err) => { stderr += err; } });
  if (code !== 0) throw new Error(`adopt exited ${code}: ${stderr}`);
  const targets = [...text.matchAll(/to = (\S+)/g)].map(([, to]) => to);
  return { text, targets: Object.fromEntries(targets.map((to) => [handmade(to), to])) };
}

/** The hand-made resource of the fixture's that an import target of the module takes: the same type; the role is aws_iam_role.mixpanel. */
const HANDMADE = (to: string) => `${to.replace(/^module\.mixpanel(\[[^\]]+\])?\./, "").split(".")[0]}.${to.includes("aws_iam_role") ? "mixpanel" : "export"}`;

/**
 * A call's instance whose for_each key holds both of HCL's template sequences ("a${x}%{y}b"), as Terraform
 * writes its address (escaped) and the user gives it to adopt.
 */
const FOR_EACH_CALL = 'module.mixpanel["a$${x}%%{y}b"]';

/** The files below `dir`, by their path relative to `under` (for a root that holds the module's build). */
function filesOf(dir: string, under: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? Object.entries(filesOf(file, path.join(under, entry.name))) : [[path.join(under, entry.name), fs.readFileSync(file, "utf8")]];
  }));
}

const VARIANTS: ["AES" | "KMS", Record<string, string>][] = [["AES", {}], ["KMS", { kms_key_arn: CUSTOMER_KEY_ARN }]];

describeTerraform("adopting a set-up made by hand into the registry module (terraform tier)", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-module-adoption-"));
  const moduleDir = path.join(work, "terraform-aws-mixpanel-s3-export");
  const root = fs.readFileSync(path.join(FIXTURES, "adopting-root", "main.tf"), "utf8");
  const perProjectRoot = fs.readFileSync(path.join(FIXTURES, "adopting-root-per-project", "main.tf"), "utf8");
  const handmade = { "main.tf": fs.readFileSync(path.join(FIXTURES, "main.tf"), "utf8"), "offline_override.tf.json": OFFLINE };
  buildModule(moduleDir);
  const moduleFiles = filesOf(moduleDir, "terraform-aws-mixpanel-s3-export");
  const rootFiles = (main = root): RootFiles => ({ ...moduleFiles, "main.tf": main, "offline_override.tf.json": OFFLINE });
  // The adopting root's call, with for_each over the one key (written escaped in the root's HCL too).
  const forEachRoot = root.replace('module "mixpanel" {\n', () => 'module "mixpanel" {\n  for_each = toset(["a$${x}%%{y}b"])\n');
  const SECOND_ROLE = "mixpanel-export-handmade-b";
  const imports: Record<string, ReturnType<typeof printedImports>> = {
    ...Object.fromEntries(VARIANTS.map(([encryption]) => [encryption,
      printedImports(["--bucket", BUCKET, "--encryption", encryption, "--role", ROLE_NAME], HANDMADE)])),
    // The first project's role is the fixture's aws_iam_role.mixpanel, the second's its aws_iam_role.second.
    perProject: printedImports(["--bucket", BUCKET, "--encryption", "AES", "--role", `${TOKEN}=${ROLE_NAME}`, "--role", `${TOKEN_B}=${SECOND_ROLE}`],
      (to) => (to.includes(`aws_iam_role.this["${TOKEN_B}"]`) ? "aws_iam_role.second" : HANDMADE(to))),
    forEach: printedImports(["--bucket", BUCKET, "--encryption", "AES", "--role", ROLE_NAME], HANDMADE, FOR_EACH_CALL),
  };
  /**
   * The hand-made set-ups, applied with a mocked provider in one terraform test; then, in one root, each
   * adopting call planned against its set-up placed at the import targets, and each call without its imports
   * planned from nothing (for the addresses it plans).
   */
  let plans: Promise<Map<string, ChangePlan>>;
  /** The same plan's JSON, as `terraform show -json` prints it (for `adopt --plan`). */
  let planJson: Promise<BatchedRootsPlan>;

  beforeAll(() => {
    const variablesOf = (encryption: string) => VARIANTS.find(([e]) => e === encryption)![1];
    const deployed = deployRoots([
      ...VARIANTS.map(([encryption, variables]) => ({
        name: encryption, files: handmade, variables: { bucket: BUCKET, role_name: ROLE_NAME, project_token: TOKEN, ...variables },
      })),
      { name: "perProject", files: handmade,
        variables: { bucket: BUCKET, role_name: ROLE_NAME, project_token: TOKEN, second_role_name: SECOND_ROLE, second_project_token: TOKEN_B } },
    ]);
    planJson = deployed.then((applied) => planRootsJson([
      ...VARIANTS.map(([encryption, variables]) => ({ name: `${encryption} from nothing`, files: rootFiles(), variables })),
      ...VARIANTS.map(([encryption]) => ({
        name: encryption, files: rootFiles(), variables: variablesOf(encryption), imports: imports[encryption].text,
        state: keepOnlyAt(applied.get(encryption)!, imports[encryption].targets),
      })),
      { name: "perProject", files: rootFiles(perProjectRoot), imports: imports.perProject.text, state: keepOnlyAt(applied.get("perProject")!, imports.perProject.targets) },
      { name: "forEach", files: rootFiles(forEachRoot), variables: {}, imports: imports.forEach.text, state: keepOnlyAt(applied.get("AES")!, imports.forEach.targets) },
    ], "module-adoption"));
    plans = planJson.then(rootsChanges);
    plans.catch(() => undefined);
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  describe("a call with for_each, keyed by a key holding ${ and %{", () => {
    test("the printed blocks keep the address as Terraform writes it; Terraform takes them, each at a resource the instance plans, destroying and replacing nothing", async () => {
      expect(imports.forEach.text).toContain(`to = ${FOR_EACH_CALL}.aws_s3_bucket.this[0]\n`);
      const { actions } = (await plans).get("forEach")!;
      expect(Object.entries(actions).filter(([, a]) => a.includes("delete"))).toEqual([]);
      // Each target is a resource the call plans, kept or updated in place (an address Terraform refused would fail the plan).
      expect(Object.values(imports.forEach.targets).map((to) => [to, actions[to]?.join("+")]).filter(([, a]) => a !== "no-op" && a !== "update")).toEqual([]);
      expect(Object.values(imports.forEach.targets)).toHaveLength(5);
    });

    test("adopt --plan with the real plan refuses the call's address without its key, naming the instance to choose", async () => {
      const { json, modules } = await planJson;
      const file = path.join(work, "plan.json");
      fs.writeFileSync(file, json);
      const call = `${modules.get("forEach")!}.module.mixpanel`;
      let stderr = "";
      const code = runAdopt(["--module", call, "--role", ROLE_NAME, "--plan", file], { stdout: () => undefined, stderr: (err) => { stderr += err; } });
      expect({ code, problem: stderr.split("\n")[1] }).toEqual({ code: 2,
        problem: `  - --module ${call}: ${call} has for_each, so an import names one of its instances (e.g. ${call}["<key>"]); choose one of ${modules.get("forEach")!}.${FOR_EACH_CALL}` });
    });
  });

  describe.each(VARIANTS)("encryption %s", (encryption) => {
    test("the printed import blocks target exactly resources the module call plans, instance keys included", async () => {
      const planned = Object.keys((await plans).get(`${encryption} from nothing`)!.actions);
      expect(Object.values(imports[encryption].targets).filter((to) => !planned.includes(to))).toEqual([]);
      expect(Object.values(imports[encryption].targets).length).toBe(5);
    });

    describe("planned against the hand-made set-up placed where the import puts it", () => {
      const planOf = async () => (await plans).get(encryption)!;

      test("nothing is destroyed or replaced; the policies and attachments are created, the rest kept or updated in place", async () => {
        const { actions } = await planOf();
        expect(Object.entries(actions).filter(([, a]) => a.includes("delete"))).toEqual([]);
        const kms = encryption === "KMS" ? ["aws_iam_policy", "aws_iam_role_policy_attachment"] : [];
        expect(typesWithAction(actions, "create")).toEqual(["aws_iam_policy", ...kms, "aws_iam_role_policy_attachment",
          "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy"].sort());
        const kept = [...typesWithAction(actions, "no-op"), ...typesWithAction(actions, "update")].sort();
        expect(kept).toEqual(Object.keys(imports[encryption].targets).map((address) => address.split(".")[0]).sort());
      });

      test("the role keeps its name, path and ARN", async () => {
        const role = (await planOf()).after['module.mixpanel.aws_iam_role.this["shared"]'];
        expect({ name: role.name, path: role.path, arn: role.arn }).toEqual({ name: ROLE_NAME, path: "/", arn: MOCK_ROLE_ARN });
      });
    });
  });
  describe("per-project roles, adopted with --role <token>=<name> and named by each project's role_name", () => {
    const planOf = async () => (await plans).get("perProject")!;

    test("the roles are imported at the module's per-project addresses, keyed by token", () => {
      expect(Object.values(imports.perProject.targets).filter((to) => to.includes("aws_iam_role"))).toEqual([
        `module.mixpanel.aws_iam_role.this["${TOKEN}"]`, `module.mixpanel.aws_iam_role.this["${TOKEN_B}"]`]);
    });

    test("nothing is destroyed or replaced; the data policy and each role's attachment are created, the rest kept or updated in place", async () => {
      const { actions } = await planOf();
      expect(Object.entries(actions).filter(([, a]) => a.includes("delete"))).toEqual([]);
      expect(Object.entries(actions).filter(([, a]) => a.join("+") === "create").map(([address]) => address).sort()).toEqual([
        "module.mixpanel.aws_iam_policy.data_access[0]",
        `module.mixpanel.aws_iam_role_policy_attachment.data_access["${TOKEN_B}"]`,
        `module.mixpanel.aws_iam_role_policy_attachment.data_access["${TOKEN}"]`,
        "module.mixpanel.aws_s3_bucket_lifecycle_configuration.this[0]",
        "module.mixpanel.aws_s3_bucket_policy.tls_only[0]",
      ].sort());
      expect([...typesWithAction(actions, "no-op"), ...typesWithAction(actions, "update")].sort())
        .toEqual(Object.keys(imports.perProject.targets).map((address) => address.split(".")[0]).sort());
    });

    test("each role keeps its name, path and ARN, and the name is the one the construct gives the same project", async () => {
      const { after } = await planOf();
      const role = (token: string) => after[`module.mixpanel.aws_iam_role.this["${token}"]`];
      expect([TOKEN, TOKEN_B].map((token) => ({ name: role(token).name, path: role(token).path, arn: role(token).arn }))).toEqual([
        { name: ROLE_NAME, path: "/", arn: MOCK_ROLE_ARN }, { name: SECOND_ROLE, path: "/", arn: MOCK_ROLE_ARN }]);
      // One decision (planRoles, and the module's local.roles): the construct names the same projects' roles alike.
      const construct = planExport(withDefaults({ bucketName: BUCKET, region: "us-east-1", rolePerProject: true,
        projects: [{ token: TOKEN, roleName: ROLE_NAME }, { token: TOKEN_B, roleName: SECOND_ROLE }] }));
      expect(construct.roles.map((r) => r.name)).toEqual([role(TOKEN).name, role(TOKEN_B).name]);
    });
  });
});
