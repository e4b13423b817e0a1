/**
 * Many variants planned in ONE Terraform root.
 *
 * {@link planStacks}: synthesized stacks, each a child module of its own folder, its provider blocks lifted
 * into the root (one block per distinct configuration, shared by the stacks that have it), its outputs
 * mirrored as root outputs, its import blocks lifted into the root with their `to` inside the module. One
 * `init`, one `plan` (which validates first; its diagnostics are the validation's) and one `show` then do what
 * four commands per stack did:
 * each of those commands pays the AWS provider's start (its 700 MB binary and its schema), and a child
 * module that keeps provider blocks of its own would pay it again, once per configuration.
 *
 * Each stack's results come back as the stack planned alone as a root would give them:
 * addresses without the module's prefix, its planned values as a root module, its outputs by name, and the
 * plan's diagnostics of its own files.
 *
 * {@link planRootsJson} (the plan's JSON text) and {@link planRootsTogether} (each root's changes): roots of any
 * kind as modules of one root, each against its own deployed state placed inside its module, or from nothing;
 * their import blocks lifted into the root. A root's single provider block is lifted into the batch's root
 * too (one block per distinct configuration, given through the module call); a root with several keeps them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ChangePlan, StateFile } from "./deployed-state";
import {
  AWS_PROVIDER_VERSION, Diagnostic, OFFLINE_PROVIDER_SETTINGS, OutputChange, PlanResult, PlannedValues, RootFiles, ValidationResult,
  isOverrideFile, planWithDiagnostics, providerBlocks, terraform, writeRootFiles,
} from "./terraform";

/** One stack of a batch. */
export interface BatchedStack {
  /** Unique within the batch; names the stack's results. */
  readonly name: string;
  /** The JSON text of `Testing.synth` (or of a cdktf.out stack). */
  readonly synthesized: string;
  /** Values for the stack's Terraform variables, as `-var` would give them. */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * The stack's deployed state: the batch is then planned against the states of its stacks, without
   * refreshing (nothing to ask AWS), as an upgrade of a deployment would be.
   */
  readonly state?: StateFile;
}

/** An argument of a resource or provider block in the plan's `configuration`. */
export interface ConfigExpression {
  constant_value?: unknown;
  /** What the argument refers to: Terraform orders the resource after each. */
  references?: string[];
}

/**
 * One stack's configuration as `terraform show -json` gives a module's: each resource's address (within the
 * module), `provider_config_key` (the key, in {@link StackPlan.providerConfig}, of the batch root's provider
 * configuration it was given: `aws.p1`) and `expressions`.
 */
export interface ModuleConfiguration {
  resources?: { address: string; type: string; provider_config_key: string; expressions?: Record<string, ConfigExpression> }[];
}

/** A provider block of the plan's `configuration`. */
export interface ProviderConfiguration {
  name: string;
  alias?: string;
  expressions?: Record<string, ConfigExpression>;
}

/** One stack's plan, as the stack planned alone would give it, and each resource's change. */
export type StackPlan = PlanResult & ChangePlan & {
  /** Each resource's `change.after_unknown` (the values known only after apply, marked `true`), by address. */
  afterUnknown: Record<string, Record<string, unknown>>;
  /** The stack's module in the plan's `configuration`. */
  configuration: ModuleConfiguration;
  /** The batch root's provider blocks (one per distinct configuration of the batch's stacks) by key, `aws.p0`. */
  providerConfig: Record<string, ProviderConfiguration>;
};

export interface BatchOptions {
  /** Replace every stack's AWS provider version constraint with the mirror's version: bindings pin the provider they were generated from (21.22.1 pins 6.25.0), and offline only 5.100.0 can be had. */
  readonly pinMirroredProvider?: boolean;
}

type Json = Record<string, unknown>;

interface PlannedModule {
  address?: string;
  resources?: { address: string; type: string; name: string; values: Json }[];
  child_modules?: PlannedModule[];
}

interface ShowJson {
  planned_values: { outputs?: PlannedValues["outputs"]; root_module: PlannedModule };
  resource_changes?: { address: string; type: string; change: { actions: string[]; after?: Json; after_unknown?: Json; importing?: unknown } }[];
  output_changes?: Record<string, OutputChange>;
  configuration?: {
    provider_config?: Record<string, ProviderConfiguration>;
    root_module: { module_calls?: Record<string, { module?: ModuleConfiguration }> };
  };
}

/** Separates a mirrored root output's module from the stack's output name. */
const OUTPUT_SEPARATOR = "__";

/** The module name of the stack at `index` (module names must be identifiers; stack names are free text). */
const moduleName = (index: number) => `stack_${index}`;

/**
 * Plans `stacks` in one root, offline. Rejects when a command fails (a stack that cannot plan fails the
 * batch, with terraform's message naming its module); resolves to each stack's result by name.
 */
export async function planStacks(stacks: readonly BatchedStack[], label: string, options: BatchOptions = {}): Promise<Map<string, StackPlan>> {
  if (new Set(stacks.map((s) => s.name)).size !== stacks.length) throw new Error("planStacks: stack names must be unique");
  const withState = stacks.filter((s) => s.state !== undefined).length;
  if (withState !== 0 && withState !== stacks.length) throw new Error("planStacks: either every stack of a batch has a state or none has");
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `mixpanel-batch-${label.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 40)}-`));
  try {
    const root = writeBatchRoot(dir, stacks, options);
    if (withState > 0) fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(batchState(stacks, root.providers)));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    const validation = await planWithDiagnostics(dir, [...(withState > 0 ? ["-refresh=false"] : []), "-input=false", "-no-color", "-out=plan.bin"]);
    const show = JSON.parse((await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout) as ShowJson;
    return new Map(stacks.map((stack, index) => [stack.name, resultOf(show, validation, moduleName(index), root.outputs[index])]));
  } finally {
    if (process.env.KEEP_TF_DIRS === "1") process.stderr.write(`terraform tier: kept ${dir} (KEEP_TF_DIRS=1)\n`);
    else await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Writes the root and one folder per stack; returns each stack's output names, and its providers' root aliases (`aws`: `aws.p0`). */
function writeBatchRoot(dir: string, stacks: readonly BatchedStack[], options: BatchOptions): { outputs: string[][]; providers: Record<string, string>[] } {
  const providers = new RootProviders();
  const modules: Json = {};
  const rootOutputs: Json = {};
  const imports: Json[] = [];
  const providerMaps: Record<string, string>[] = [];
  const outputs = stacks.map((stack, index) => {
    const name = moduleName(index);
    const synthesized = JSON.parse(stack.synthesized) as Json;
    const { provider, import: stackImports, ...rest } = synthesized;
    const settings = { ...(rest.terraform as Json | undefined) };
    delete settings.backend;
    const required = { ...(settings.required_providers as Record<string, Json> | undefined) };
    const blocks = ((provider as { aws?: Json[] } | undefined)?.aws ?? [{}]);
    const aliases = blocks.filter((b) => b.alias !== undefined).map((b) => `aws.${b.alias as string}`);
    required.aws = {
      ...required.aws,
      source: "hashicorp/aws",
      ...(options.pinMirroredProvider ? { version: AWS_PROVIDER_VERSION } : {}),
      ...(aliases.length > 0 ? { configuration_aliases: aliases } : {}),
    };
    settings.required_providers = required;
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "cdk.tf.json"), JSON.stringify({ ...rest, terraform: settings }, null, 1));
    const variables = Object.keys((rest.variable as Json | undefined) ?? {});
    const unknownVariables = Object.keys(stack.variables ?? {}).filter((v) => !variables.includes(v));
    if (unknownVariables.length > 0) throw new Error(`planStacks: ${stack.name} has no variable ${unknownVariables.join(", ")}`);
    providerMaps.push(Object.fromEntries(blocks.map((block) =>
      [block.alias === undefined ? "aws" : `aws.${block.alias as string}`, `aws.${providers.alias(withoutAlias(block))}`])));
    modules[name] = {
      source: `./${name}`,
      providers: providerMaps[index],
      ...Object.fromEntries(Object.entries(stack.variables ?? {}).map(([key, value]) => [key, literal(value)])),
    };
    const stackOutputs = (rest.output as Record<string, Json> | undefined) ?? {};
    for (const [output, block] of Object.entries(stackOutputs)) {
      rootOutputs[`${name}${OUTPUT_SEPARATOR}${output}`] = { value: `\${module.${name}.${output}}`, ...(block.sensitive ? { sensitive: true } : {}) };
    }
    for (const block of (stackImports as Json[] | undefined) ?? []) imports.push({ ...block, to: `module.${name}.${block.to as string}` });
    return Object.keys(stackOutputs);
  });
  const root = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", ...(options.pinMirroredProvider ? { version: AWS_PROVIDER_VERSION } : {}) } } },
    provider: { aws: providers.blocks(OFFLINE_PROVIDER_SETTINGS) },
    module: modules,
    ...(Object.keys(rootOutputs).length > 0 ? { output: rootOutputs } : {}),
    ...(imports.length > 0 ? { import: imports } : {}),
  };
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(root, null, 1));
  return { outputs, providers: providerMaps };
}

/** The batch root's provider blocks: one per distinct configuration, each the alias `p<i>` of its root. */
class RootProviders {
  private readonly configurations: Json[] = [];
  private readonly keys: string[] = [];

  /** The alias of the block with this configuration (an alias-less provider block's arguments), added if new. */
  alias(configuration: Json): string {
    const key = canonical(configuration);
    let index = this.keys.indexOf(key);
    if (index < 0) {
      index = this.keys.push(key) - 1;
      this.configurations.push(configuration);
    }
    return `p${index}`;
  }

  /** The blocks, each with `settings` added (the offline provider settings, say). */
  blocks(settings: Json = {}): Json[] {
    return this.configurations.map((configuration, index) => ({ ...configuration, ...settings, alias: `p${index}` }));
  }
}

function withoutAlias(block: Json): Json {
  const { alias: _alias, ...config } = block;
  return config;
}

/** A variable's value as a JSON-syntax argument: a string, with template sequences escaped. */
function literal(value: string): string {
  return value.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

/** One state holding each stack's resources inside its module. */
function batchState(stacks: readonly BatchedStack[], providers: readonly Readonly<Record<string, string>>[]): StateFile {
  // A stack's `provider["registry.terraform.io/hashicorp/aws"]` (or `...].eu`) is now one of the root's aliases.
  const rootAlias = (index: number) => (address: string) => {
    const alias = /^provider\["[^"]+"\](?:\.(\w+))?$/.exec(address)?.[1];
    const local = alias === undefined ? "aws" : `aws.${alias}`;
    if (providers[index][local] === undefined) throw new Error(`planStacks: the state of stack ${index} names a provider its stack lacks: ${address}`);
    return `provider["registry.terraform.io/hashicorp/aws"].${providers[index][local].replace(/^aws\./, "")}`;
  };
  return { ...stacks[0].state!, resources: stacks.flatMap((stack, index) => relocated(stack.state!, `module.${moduleName(index)}`, rootAlias(index)).resources) };
}

/**
 * The state with every resource inside `module` (a module address), each resource's provider renamed by
 * `provider` (Terraform plans a resource the configuration no longer has with the provider its state names).
 */
function relocated(state: StateFile, module: string, provider: (address: string) => string): StateFile {
  return {
    ...state,
    resources: state.resources.map((resource) => ({
      ...resource,
      module: `${module}${resource.module === undefined ? "" : `.${resource.module as string}`}`,
      provider: provider(resource.provider as string),
    })),
  };
}

/** A provider address of a root's state, once the root is the module `module` with its own provider blocks. */
const insideModule = (module: string) => (address: string) => `${module}.${address}`;

/** A provider address of a root's state, once its provider block is the batch root's `aws.<alias>`. */
const liftedTo = (alias: string) => (address: string) => {
  if (!/^provider\["[^"]+"\]$/.test(address)) throw new Error(`planRootsJson: a root with one provider block has a state naming another: ${address}`);
  return `${address}.${alias}`;
};

/** A JSON value with its objects' keys sorted: equal configurations give equal text. */
function canonical(value: unknown): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object"
    ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v);
  return JSON.stringify(sorted(value));
}

/** The `aws` blocks of a JSON configuration's `provider`, and the configuration without them. */
function withoutAwsProviders(json: Json): { blocks: Json[]; rest: Json } {
  const { provider, ...rest } = json;
  const { aws, ...others } = (provider ?? {}) as Json;
  const blocks = aws === undefined ? [] : Array.isArray(aws) ? (aws as Json[]) : [aws as Json];
  return { blocks, rest: Object.keys(others).length > 0 ? { ...rest, provider: others } : rest };
}

/** An HCL provider block's body as JSON, where each of its lines is `name = <literal>`; undefined otherwise. */
function literalArguments(body: string): Json | undefined {
  const config: Json = {};
  for (const line of body.split("\n").filter((l) => l.trim() !== "")) {
    const match = /^\s*([a-z_]+)\s*=\s*(.+?)\s*$/.exec(line);
    if (match === null) return undefined;
    try {
      config[match[1]] = JSON.parse(match[2]);
    } catch {
      return undefined;
    }
  }
  return config;
}

/**
 * The one provider configuration of a root's own folder, lifted out of its files (its override files'
 * settings merged in), and the files without it; undefined where the root keeps its provider blocks: none or
 * several, an alias, a provider block in an HCL override file, or an HCL body other than literal arguments.
 */
function liftProvider(files: RootFiles): { files: RootFiles; config: Json } | undefined {
  const rest: Record<string, string> = { ...files };
  const own = Object.keys(files).filter((file) => !file.includes("/"));
  let config: Json | undefined;
  let blocks = 0;
  for (const file of own.filter((f) => !isOverrideFile(f))) {
    if (file.endsWith(".tf.json")) {
      const { blocks: found, rest: json } = withoutAwsProviders(JSON.parse(files[file]) as Json);
      if (found.length === 0) continue;
      [blocks, config] = [blocks + found.length, found[0]];
      rest[file] = JSON.stringify(json, null, 1);
    } else if (file.endsWith(".tf")) {
      const found = [...files[file].matchAll(/^provider\s+"aws"\s*\{\n([\s\S]*?)^\}\n?/gm)];
      if (found.length !== providerBlocks(file, files[file])) return undefined;
      if (found.length === 0) continue;
      [blocks, config] = [blocks + found.length, literalArguments(found[0][1])];
      if (config === undefined) return undefined;
      rest[file] = files[file].replace(found[0][0], "");
    }
  }
  if (blocks !== 1 || config === undefined || config.alias !== undefined) return undefined;
  for (const file of own.filter(isOverrideFile)) {
    if (!file.endsWith(".tf.json")) {
      if (/^\s*provider\s+"aws"/m.test(files[file])) return undefined;
      continue;
    }
    const { blocks: found, rest: json } = withoutAwsProviders(JSON.parse(files[file]) as Json);
    if (found.length === 0) continue;
    if (found.length !== 1 || found[0].alias !== undefined) return undefined;
    config = { ...config, ...found[0] };
    rest[file] = JSON.stringify(json, null, 1);
  }
  return { files: rest, config };
}

/** The changes of the resources under `prefix` (`module.x.`), by their address without it. */
function changesOf(show: ShowJson, prefix: string): ChangePlan & { changes: NonNullable<ShowJson["resource_changes"]> } {
  const changes = (show.resource_changes ?? []).filter((c) => c.address.startsWith(prefix)).map((c) => ({ ...c, address: c.address.slice(prefix.length) }));
  return {
    changes,
    actions: Object.fromEntries(changes.map((c) => [c.address, c.change.actions])),
    after: Object.fromEntries(changes.map((c) => [c.address, c.change.after ?? {}])),
    importing: changes.filter((c) => c.change.importing !== undefined).map((c) => c.address),
  };
}

function resultOf(show: ShowJson, validation: ValidationResult, name: string, outputs: readonly string[]): StackPlan {
  const prefix = `module.${name}.`;
  const own = (d: Diagnostic) => d.range === undefined || d.range.filename.startsWith(`${name}/`) || !/^stack_\d+\//.test(d.range.filename);
  const diagnostics = validation.diagnostics.filter(own);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const child = (show.planned_values.root_module.child_modules ?? []).find((m) => m.address === `module.${name}`) ?? {};
  const mirrored = (output: string) => `${name}${OUTPUT_SEPARATOR}${output}`;
  const { changes, ...changePlan } = changesOf(show, prefix);
  const configuration = show.configuration?.root_module.module_calls?.[name]?.module ?? {};
  return {
    ...changePlan,
    afterUnknown: Object.fromEntries(changes.map((c) => [c.address, c.change.after_unknown ?? {}])),
    configuration: configuration.resources ? { resources: configuration.resources } : {},
    providerConfig: show.configuration?.provider_config ?? {},
    validation: { valid: errors === 0, error_count: errors, warning_count: diagnostics.length - errors, diagnostics },
    resourceChanges: changes.map((c) => ({ address: c.address, type: c.type, actions: c.change.actions })),
    plannedValues: {
      ...(show.planned_values.outputs ? {
        outputs: Object.fromEntries(outputs.filter((o) => show.planned_values.outputs![mirrored(o)] !== undefined)
          .map((o) => [o, show.planned_values.outputs![mirrored(o)]])),
      } : {}),
      root_module: asRoot(child, prefix) as PlannedValues["root_module"],
    },
    outputChanges: Object.fromEntries(outputs.filter((o) => show.output_changes?.[mirrored(o)] !== undefined)
      .map((o) => [o, show.output_changes![mirrored(o)]])),
  };
}

/** A child module's planned values as its stack's root module would have them: addresses without `prefix`. */
function asRoot(module: PlannedModule, prefix: string): PlannedModule {
  const strip = (address: string) => (address.startsWith(prefix) ? address.slice(prefix.length) : address);
  return {
    ...(module.resources ? { resources: module.resources.map((r) => ({ ...r, address: strip(r.address) })) } : {}),
    ...(module.child_modules ? { child_modules: module.child_modules.map((c) => ({ ...asRoot(c, prefix), address: strip(c.address ?? "") })) } : {}),
  };
}

/** A root for {@link planRootsTogether}. */
export interface BatchedRoot {
  /** Unique within the batch; names the root's results. */
  readonly name: string;
  /**
   * The root's files. A single provider block (with literal arguments, in HCL) moves into the batch's root;
   * several stay, and with them a provider process each.
   */
  readonly files: RootFiles;
  /** The root's variables, by name (as a terraform.tfvars.json gives them). */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** The root's import blocks (HCL): root-only, so they move into the batch's root, their `to` inside the root's module. */
  readonly imports?: string;
  /** The root's deployed state; without one the root plans from nothing. */
  readonly state?: StateFile;
}

/** One plan of several roots, as `terraform show -json` writes it, and the module each root became. */
export interface BatchedRootsPlan {
  readonly json: string;
  /** Each root's module address in the plan, by the root's name. */
  readonly modules: ReadonlyMap<string, string>;
}

/**
 * Plans several roots as modules of one root, against their states (without refreshing) where they have
 * one: one `init`, `plan` and `show` for all. The plan's JSON text, as a user's `show -json` writes it.
 */
export async function planRootsJson(roots: readonly BatchedRoot[], label: string): Promise<BatchedRootsPlan> {
  if (new Set(roots.map((r) => r.name)).size !== roots.length) throw new Error("planRootsJson: root names must be unique");
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `mixpanel-batch-${label.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 40)}-`));
  try {
    const name = (index: number) => `root_${index}`;
    const providers = new RootProviders();
    const aliases = roots.map((root, index) => {
      const lifted = liftProvider(root.files);
      writeRootFiles(path.join(dir, name(index)), lifted?.files ?? root.files);
      if (root.imports !== undefined) fs.writeFileSync(path.join(dir, `imports_${index}.tf`), root.imports.replace(/\bto(\s*)=(\s*)/g, `to$1=$2module.${name(index)}.`));
      if (lifted === undefined) return undefined;
      return providers.alias(lifted.config);
    });
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({
      ...(aliases.some((alias) => alias !== undefined) ? { provider: { aws: providers.blocks() } } : {}),
      module: Object.fromEntries(roots.map((root, index) => [name(index), {
        source: `./${name(index)}`,
        ...(aliases[index] === undefined ? {} : { providers: { aws: `aws.${aliases[index]}` } }),
        ...root.variables,
      }])),
    }, null, 1));
    const states = roots.map((root, index) => (root.state === undefined ? undefined
      : relocated(root.state, `module.${name(index)}`, aliases[index] === undefined ? insideModule(`module.${name(index)}`) : liftedTo(aliases[index]!))));
    const withState = states.filter((s): s is StateFile => s !== undefined);
    if (withState.length > 0) fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify({ ...withState[0], resources: withState.flatMap((s) => s.resources) }));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
    await terraform(dir, ["plan", ...(withState.length > 0 ? ["-refresh=false"] : []), "-input=false", "-no-color", "-out=plan.bin"]);
    const json = (await terraform(dir, ["show", "-json", "-no-color", "plan.bin"])).stdout;
    return { json, modules: new Map(roots.map((root, index) => [root.name, `module.${name(index)}`])) };
  } finally {
    if (process.env.KEEP_TF_DIRS === "1") process.stderr.write(`terraform tier: kept ${dir} (KEEP_TF_DIRS=1)\n`);
    else await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** {@link planRootsJson}, read: each root's changes by name, addresses without its module's prefix. */
export async function planRootsTogether(roots: readonly BatchedRoot[], label: string): Promise<Map<string, ChangePlan>> {
  return rootsChanges(await planRootsJson(roots, label));
}

/** The changes of each root of a {@link planRootsJson} plan, by the root's name, addresses without its module's prefix. */
export function rootsChanges({ json, modules }: BatchedRootsPlan): Map<string, ChangePlan> {
  const show = JSON.parse(json) as ShowJson;
  return new Map([...modules].map(([name, module]) => [name, changesOf(show, `${module}.`)]));
}
