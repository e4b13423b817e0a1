import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { offlineOverride, terraform } from "./terraform";

/**
 * "An existing deployment", offline: a real Terraform state for a synthesized stack, produced by
 * `terraform test` applying the stack against a mocked AWS provider (`-json -verbose` prints the state
 * after the apply), then written as a state file a later `terraform plan -refresh=false` starts from.
 */

/**
 * Values the mock would otherwise invent as random strings, where the provider checks them: ARNs other
 * resources refer to, computed attributes with a fixed set of values (set to what AWS returns), and the
 * provider's region, which the construct checks against its region at plan.
 */
const mockProvider = (region: string) => `mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = ${JSON.stringify(region)} }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  mock_resource "aws_s3_bucket_lifecycle_configuration" {
    defaults = {
      transition_default_minimum_object_size = "all_storage_classes_128K"
      rule = { prefix = "", filter = { object_size_greater_than = null, object_size_less_than = null } }
    }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000", key_id = "00000000-0000-0000-0000-000000000000" }
  }
}

run "deploy" {
  command = apply
}
`;

interface StateResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  schema_version: number;
  values: Record<string, unknown>;
}

/** Applies the stack with a mocked provider and returns the state, in Terraform's state file format (v4). */
export async function deployedState(synthesizedJson: string): Promise<object> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-deploy-"));
  try {
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), synthesizedJson);
    fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(offlineOverride(JSON.parse(synthesizedJson))));
    fs.mkdirSync(path.join(dir, "tests"));
    const providers = (JSON.parse(synthesizedJson) as { provider: { aws: { region: string }[] } }).provider.aws;
    fs.writeFileSync(path.join(dir, "tests", "deploy.tftest.hcl"), mockProvider(providers[0].region));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    const { stdout } = await terraform(dir, ["test", "-json", "-verbose", "-no-color"]);
    const events = stdout.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
    const stateEvent = events.find((event) => event.type === "test_state") as { test_state: { root_module: { resources: StateResource[] } } } | undefined;
    if (!stateEvent) throw new Error(`terraform test printed no state:\n${stdout}`);
    return toStateFile(stateEvent.test_state.root_module.resources);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function toStateFile(resources: StateResource[]): object {
  const grouped = new Map<string, { resource: StateResource; instances: StateResource[] }>();
  for (const resource of resources) {
    const key = `${resource.mode}.${resource.type}.${resource.name}`;
    if (!grouped.has(key)) grouped.set(key, { resource, instances: [] });
    grouped.get(key)!.instances.push(resource);
  }
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: [...grouped.values()].map(({ resource, instances }) => ({
      mode: resource.mode,
      type: resource.type,
      name: resource.name,
      provider: `provider["${resource.provider_name}"]`,
      instances: instances.map((instance) => ({
        ...(instance.index !== undefined ? { index_key: instance.index } : {}),
        schema_version: instance.schema_version,
        attributes: instance.values,
        sensitive_attributes: [],
      })),
    })),
  };
}

export interface ChangePlan {
  /** Each resource's planned actions, by address (`["no-op"]`, `["update"]`, `["create"]`, `["delete","create"]`...). */
  actions: Record<string, string[]>;
}

/** Plans `synthesizedJson` against `state` without refreshing (nothing to ask AWS), as an upgrade of a deployment would. */
export async function planAgainstState(synthesizedJson: string, state: object): Promise<ChangePlan> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-change-"));
  try {
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), synthesizedJson);
    fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(offlineOverride(JSON.parse(synthesizedJson))));
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    await terraform(dir, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"]);
    const show = JSON.parse((await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout) as {
      resource_changes?: { address: string; change: { actions: string[] } }[];
    };
    return { actions: Object.fromEntries((show.resource_changes ?? []).map((c) => [c.address, c.change.actions])) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
