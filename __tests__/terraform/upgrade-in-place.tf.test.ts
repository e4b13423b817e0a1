import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { deployedState } from "../support/deployed-state";
import { StackPlan, planStacks } from "../support/batched-plans";
import { TOKEN, TOKEN_B, baseProps, synthStack } from "../support/synth";
import { describeTerraform } from "../support/terraform";

/**
 * Changing encryption, lifecycle or tags on a deployed stack updates resources in place: planned against a
 * state that holds the previous version, no resource is replaced or destroyed (and the bucket, protected by
 * prevent_destroy, would make the plan fail if it were).
 */
const projects = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }];
const deployed: MixpanelS3ExportProps = baseProps({ projects });

const CHANGES: [string, MixpanelS3ExportProps, (actions: Record<string, string[]>) => void][] = [
  ["encryption NONE -> AES", { ...deployed, encryption: "AES" }, (actions) => {
    expect(createdTypes(actions)).toEqual(["aws_s3_bucket_server_side_encryption_configuration"]);
  }],
  ["encryption NONE -> KMS with a created key", { ...deployed, encryption: "KMS", createKmsKey: true }, (actions) => {
    expect(createdTypes(actions)).toEqual(["aws_iam_policy", "aws_iam_role_policy_attachment", "aws_kms_alias", "aws_kms_key",
      "aws_s3_bucket_server_side_encryption_configuration"]);
  }],
  ["lifecycle: event files move after 90 days and expire after 730", { ...deployed, eventsTransitionDays: 90, eventsExpirationDays: 730 }, (actions) => {
    expect(updatedTypes(actions)).toEqual(["aws_s3_bucket_lifecycle_configuration"]);
  }],
  ["versioning on", { ...deployed, versioning: true }, (actions) => {
    expect(createdTypes(actions)).toEqual(["aws_s3_bucket_versioning"]);
    expect(updatedTypes(actions)).toEqual(["aws_s3_bucket_lifecycle_configuration"]);
  }],
  ["tags added", { ...deployed, tags: { team: "data", "cost-center": "42" } }, (actions) => {
    expect(updatedTypes(actions)).toEqual(["aws_iam_policy", "aws_iam_role", "aws_s3_bucket"]);
  }],
];

function typesWith(actions: Record<string, string[]>, action: string): string[] {
  return [...new Set(Object.entries(actions).filter(([, a]) => a.join() === action).map(([address]) => address.split(".")[0]))].sort();
}
const createdTypes = (actions: Record<string, string[]>) => typesWith(actions, "create");
const updatedTypes = (actions: Record<string, string[]>) => typesWith(actions, "update");

describeTerraform("upgrades of a deployed stack (terraform tier)", () => {
  let plans: Promise<Map<string, StackPlan>>;

  beforeAll(() => {
    // prevent_destroy is not part of the state; lifting it here lets `terraform test` clean up after its apply.
    // Then the unchanged stack and every change, each planned against its own copy of that state, in one root.
    plans = deployedState(synthStack({ ...deployed, preventDestroy: false })).then((state) => planStacks(
      [["unchanged", deployed] as const, ...CHANGES.map(([name, props]) => [name, props] as const)]
        .map(([name, props]) => ({ name, synthesized: synthStack(props), state })),
      "upgrades"));
    plans.catch(() => undefined);
  });

  test("the unchanged stack plans no change at all against its own state", async () => {
    const { actions } = (await plans).get("unchanged")!;
    expect(Object.entries(actions).filter(([, a]) => a.join() !== "no-op")).toEqual([]);
    expect(Object.keys(actions).length).toBeGreaterThanOrEqual(8);
  });

  test.each(CHANGES)("%s: in place, nothing replaced or destroyed", async (name, _changed, expectActions) => {
    const { actions } = (await plans).get(name)!;
    const destructive = Object.entries(actions).filter(([, a]) => a.includes("delete"));
    expect(destructive).toEqual([]);
    const bucket = Object.entries(actions).find(([address]) => address.startsWith("aws_s3_bucket."))!;
    expect(["no-op", "update"]).toContain(bucket[1].join());
    expectActions(actions);
  });
});

describeTerraform("upgrade from 0.1 of per-project roles keyed by Terraform-value tokens (terraform tier)", () => {
  // 0.1 named such roles after the token's text (`role-${TfToken...}`); 0.2 keys them by project and carries
  // them over with moved blocks. Planned against 0.1's deployed state, the roles must move, not be replaced.
  const fixtures = path.join(__dirname, "..", "fixtures", "upgrades");
  let plan: Promise<StackPlan>;
  let current: string;

  beforeAll(() => {
    // A process of its own: a token's text depends on how many were made before it in the process.
    current = execFileSync(process.execPath, ["--require", "./scripts/swc-register.js", path.join(fixtures, "token-keyed-roles.ts")],
      { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" });
    const before = fs.readFileSync(path.join(fixtures, "token-keyed-roles.0.1.json"), "utf8");
    plan = deployedState(before).then((state) => planStacks([{ name: "keyed", synthesized: current, state }], "token-keyed-upgrade"))
      .then((plans) => plans.get("keyed")!);
    plan.catch(() => undefined);
  });

  test("both roles and their attachments keep their deployed objects: nothing created, destroyed or replaced", async () => {
    const { actions } = await plan;
    expect(Object.entries(actions).filter(([, a]) => a.join() !== "no-op")).toEqual([]);
    // Every resource planned is at its 0.2 address: the state's 0.1 role addresses were moved there.
    const { resource } = JSON.parse(current) as { resource: Record<string, Record<string, unknown>> };
    const addresses = Object.entries(resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    expect(Object.keys(actions).sort()).toEqual(addresses.sort());
    expect(addresses.filter((address) => address.startsWith("aws_iam_role."))).toHaveLength(2);
  });
});
