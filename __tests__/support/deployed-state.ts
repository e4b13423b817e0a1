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
 * resources refer to, and computed attributes with a fixed set of values (set to what AWS returns).
 */
const MOCK_PROVIDER = `mock_provider "aws" {
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    # name_prefix as AWS reports it for a role named in full: a random one would force a replacement.
    defaults = { arn = "arn:aws:iam::111122223333:role/mock", name_prefix = "" }
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
export async function deployedState(synthesizedJson: string): Promise<StateFile> {
  return appliedState({
    "cdk.tf.json": synthesizedJson,
    "offline_override.tf.json": JSON.stringify(offlineOverride(JSON.parse(synthesizedJson))),
  });
}

/**
 * Applies a configuration (its files by name; HCL or JSON) with a mocked provider, the variables given, and
 * returns the state, in Terraform's state file format (v4).
 */
export async function appliedState(files: Readonly<Record<string, string>>, variables: Readonly<Record<string, string>> = {}): Promise<StateFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-deploy-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.mkdirSync(path.join(dir, "tests"));
    const variablesBlock = `variables {\n${Object.entries(variables).map(([name, value]) => `  ${name} = ${JSON.stringify(value)}\n`).join("")}}\n\n`;
    fs.writeFileSync(path.join(dir, "tests", "deploy.tftest.hcl"), variablesBlock + MOCK_PROVIDER);
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

/** A state file (v4), as far as these tests read and change it. */
export interface StateFile {
  readonly resources: readonly { readonly mode: string; readonly type: string; readonly name: string; readonly [key: string]: unknown }[];
  readonly [key: string]: unknown;
}

/** A resource address in a state or plan: `[module.a["k"].]type.name[index]`. */
const ADDRESS = /^((?:module\.[\w-]+(?:\[[^\]]+\])?\.)*)([a-z0-9_]+)\.([\w-]+)(?:\[(.+)\])?$/;

function parseAddress(address: string): { module?: string; type: string; name: string; index?: string | number } {
  const match = ADDRESS.exec(address);
  if (!match) throw new Error(`not a resource address: ${address}`);
  const [, module, type, name, index] = match;
  return {
    ...(module ? { module: module.slice(0, -1) } : {}),
    type,
    name,
    ...(index === undefined ? {} : { index: /^\d+$/.test(index) ? Number(index) : (JSON.parse(index) as string) }),
  };
}

/**
 * The state with only the single-instance resources named in `moves` (`type.name` to any resource address,
 * in a module or not, with an instance key or not), each at its new address: what `terraform import` into
 * those addresses would leave, where the rest stays outside Terraform's state.
 */
export function keepOnlyAt(state: StateFile, moves: Readonly<Record<string, string>>): StateFile {
  const resources = Object.entries(moves).map(([from, to]) => {
    const resource = state.resources.find((r) => r.mode === "managed" && `${r.type}.${r.name}` === from) as
      (StateFile["resources"][number] & { instances: Record<string, unknown>[] }) | undefined;
    if (resource === undefined) throw new Error(`no ${from} in the state`);
    const target = parseAddress(to);
    if (target.type !== resource.type) throw new Error(`${from} cannot move to another type (${to})`);
    const { index_key: _index, ...instance } = resource.instances[0];
    return {
      ...resource,
      ...(target.module ? { module: target.module } : {}),
      name: target.name,
      instances: [{ ...instance, ...(target.index === undefined ? {} : { index_key: target.index }) }],
    };
  });
  return { ...state, resources };
}

function toStateFile(resources: StateResource[]): StateFile {
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
  /** Each resource's planned values (`change.after`; unknown values absent), by address. */
  after: Record<string, Record<string, unknown>>;
  /** The resources the plan imports (`change.importing`), by address. */
  importing: string[];
}

/** Plans `synthesizedJson` against `state` without refreshing (nothing to ask AWS), as an upgrade of a deployment would. */
export function planAgainstState(synthesizedJson: string, state: object): Promise<ChangePlan> {
  return planFilesAgainstState({
    "cdk.tf.json": synthesizedJson,
    "offline_override.tf.json": JSON.stringify(offlineOverride(JSON.parse(synthesizedJson))),
  }, state);
}

/**
 * Plans a root module (its files by name, offline provider settings included) against `state`, without
 * refreshing, in `dir` (default: a new temporary folder; removed afterwards either way).
 */
export async function planFilesAgainstState(files: Readonly<Record<string, string>>, state: object,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-change-"))): Promise<ChangePlan> {
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    await terraform(dir, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"]);
    const show = JSON.parse((await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout) as {
      resource_changes?: { address: string; change: { actions: string[]; after?: Record<string, unknown>; importing?: unknown } }[];
    };
    const changes = show.resource_changes ?? [];
    return {
      actions: Object.fromEntries(changes.map((c) => [c.address, c.change.actions])),
      after: Object.fromEntries(changes.map((c) => [c.address, c.change.after ?? {}])),
      importing: changes.filter((c) => c.change.importing !== undefined).map((c) => c.address),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
