import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestStateModule, diagnosticsText, moduleUnderTest, parseEvent, testRoots } from "./terraform-test";
import { RootFiles, offlineOverride, terraform, writeRootFiles } from "./terraform";

/**
 * "An existing deployment", offline: a real Terraform state for a synthesized stack, produced by
 * `terraform test` applying the stack against a mocked AWS provider (`-json -verbose` prints the state
 * after the apply), then written as a state file a later `terraform plan -refresh=false` starts from.
 */

/** The key policy AWS gives a key created without one (it delegates to the account's IAM). */
const AWS_DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Id: "key-default-1",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
};

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
    defaults = {
      arn                      = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000"
      key_id                   = "00000000-0000-0000-0000-000000000000"
      policy                   = ${JSON.stringify(JSON.stringify(AWS_DEFAULT_KEY_POLICY))}
    }
  }
}
`;

type StateResource = NonNullable<TestStateModule["resources"]>[number];

export type { RootFiles };

/** A synthesized stack as a root: its JSON and the override that lets it plan offline. */
export function stackRoot(synthesizedJson: string): RootFiles {
  return { "cdk.tf.json": synthesizedJson, "offline_override.tf.json": JSON.stringify(offlineOverride(JSON.parse(synthesizedJson))) };
}

/** Applies the stack with a mocked provider (in its provider's region) and returns the state, in Terraform's state file format (v4). */
export async function deployedState(synthesizedJson: string): Promise<StateFile> {
  const providers = (JSON.parse(synthesizedJson) as { provider: { aws: { region: string }[] } }).provider.aws;
  return (await deployRoots([{ name: "stack", files: stackRoot(synthesizedJson), region: providers[0].region }])).get("stack")!;
}

/** A root to apply with a mocked provider (see {@link deployRoots}). */
export interface RootToDeploy {
  readonly name: string;
  readonly files: RootFiles;
  /** The mocked provider's region. @default "us-east-1" */
  readonly region?: string;
  readonly variables?: Readonly<Record<string, string>>;
}

/** Applies every root with a mocked provider in one `terraform test`; each root's state (v4) by name. */
export async function deployRoots(roots: readonly RootToDeploy[]): Promise<Map<string, StateFile>> {
  const tested = await testRoots(roots.map((root) => ({
    name: root.name,
    files: root.files,
    tests: `${mockProvider(root.region ?? "us-east-1")}
run "deploy" {
  command = apply
${moduleUnderTest(root.name)}
  variables {
${Object.entries(root.variables ?? {}).map(([name, value]) => `    ${name} = ${JSON.stringify(value)}\n`).join("")}  }
}
`,
  })), "deploy", { mocksOnly: true });
  return new Map(roots.map((root) => {
    const run = tested.get(root.name)!.runs.get("deploy");
    if (run?.state === undefined) {
      throw new Error(`the mocked apply of ${root.name} left no state (${run?.status ?? "not run"}):\n${diagnosticsText([...(run?.diagnostics ?? []), ...tested.get(root.name)!.diagnostics])}`);
    }
    return [root.name, toStateFile(allResources(run.state))];
  }));
}

function allResources(module: TestStateModule): StateResource[] {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(allResources)];
}

/** `module.a["x"].module.b` of `module.a["x"].module.b.aws_s3_bucket.this[0]`; "" in the root module. */
function moduleOf(resource: StateResource): string {
  const local = `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
  const at = resource.address.lastIndexOf(`.${local}`);
  return resource.address.startsWith(local) ? "" : resource.address.slice(0, at);
}

/**
 * Arguments with a provider default that the mocked apply leaves null in the state: AWS fills them in, and
 * left null a later plan would replace the resource (a key's usage and spec force a new key).
 */
const PROVIDER_DEFAULTS: Record<string, Record<string, unknown>> = {
  aws_kms_key: { key_usage: "ENCRYPT_DECRYPT", customer_master_key_spec: "SYMMETRIC_DEFAULT", is_enabled: true },
};

function withProviderDefaults(resource: StateResource): Record<string, unknown> {
  const defaults = Object.entries(PROVIDER_DEFAULTS[resource.type] ?? {}).filter(([key]) => resource.values[key] === null);
  return { ...resource.values, ...Object.fromEntries(defaults) };
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
 * The state with only the single-instance root resources named in `moves` (`type.name` to any resource
 * address, in a module or not, with an instance key or not), each at its new address: what `terraform import`
 * into those addresses would leave, where the rest stays outside Terraform's state.
 */
export function keepOnlyAt(state: StateFile, moves: Readonly<Record<string, string>>): StateFile {
  const resources = Object.entries(moves).map(([from, to]) => {
    const resource = state.resources.find((r) => r.mode === "managed" && r.module === undefined && `${r.type}.${r.name}` === from) as
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
    const key = `${moduleOf(resource)}|${resource.mode}.${resource.type}.${resource.name}`;
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
      ...(moduleOf(resource) ? { module: moduleOf(resource) } : {}),
      mode: resource.mode,
      type: resource.type,
      name: resource.name,
      provider: `provider["${resource.provider_name}"]`,
      instances: instances.map((instance) => ({
        ...(instance.index !== undefined ? { index_key: instance.index } : {}),
        schema_version: instance.schema_version,
        attributes: withProviderDefaults(instance),
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

/**
 * The resource types of the changes whose actions are `action` (e.g. `create`, `delete+create`), one entry a
 * resource, sorted; addresses may be inside modules.
 */
export function typesWithAction(actions: Readonly<Record<string, string[]>>, action: string): string[] {
  return Object.entries(actions).filter(([, a]) => a.join("+") === action).map(([address]) => address.split(".").slice(-2)[0]).sort();
}

/**
 * `terraform plan -out` and `terraform show -json` of a root, from nothing or against `state` (then without
 * refreshing: nothing to ask AWS). Returns the plan's JSON text, as a user's `show -json > plan.json` writes it.
 */
export async function planJson(files: RootFiles, state?: object): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-change-"));
  try {
    writeRootFiles(dir, files);
    if (state) fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    await terraform(dir, ["plan", ...(state ? ["-refresh=false"] : []), "-input=false", "-no-color", "-out=plan.bin"]);
    return (await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A root with import blocks, and what stands for each imported object (see {@link importPlans}). */
export interface RootToImport {
  readonly name: string;
  readonly files: RootFiles;
  /** `override_resource` (and `override_data`) blocks of the run: a mock cannot import. */
  readonly overrides: string;
}

/**
 * Plans with import blocks, offline: each root planned by `terraform test` against a mocked provider, with an
 * `override_resource` standing for each imported object. Import blocks may only stand in the root module, so
 * each root is the root of a `terraform test` of its own (they run side by side). Each plan by name, in
 * `terraform show -json`'s shape: the same `resource_changes`, with `format_version`; `terraform test` prints
 * no `configuration` or `planned_values`.
 */
export async function importPlans(roots: readonly RootToImport[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(roots.map(async (root): Promise<[string, string]> => [root.name, await importPlanJson(root)])));
}

async function importPlanJson(root: RootToImport): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-import-"));
  try {
    writeRootFiles(dir, { ...root.files, "tests/import.tftest.hcl": `mock_provider "aws" {}

run "import" {
  command = plan
${root.overrides}
}
` });
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    const { stdout } = await terraform(dir, ["test", "-json", "-verbose", "-no-color"]);
    const planEvent = stdout.split("\n").filter((line) => line.trim() !== "").map(parseEvent).find((event) => event.type === "test_plan");
    if (planEvent?.test_plan === undefined) throw new Error(`terraform test printed no plan for ${root.name}:\n${stdout.slice(0, 20000)}`);
    const { plan_format_version: formatVersion, resource_changes: resourceChanges } = planEvent.test_plan;
    return JSON.stringify({ format_version: formatVersion, terraform_version: "1.11.4", resource_changes: resourceChanges });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
