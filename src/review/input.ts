import * as fs from "fs";
import * as path from "path";
import { CDK_CLI } from "../cdk/names";
import { PLAN_FORMAT_MAJOR, moduleCallConfig } from "./plan";
import { Json, JsonObject, TerraformConfig, isObject } from "./terraform-json";

/** Input the review cannot use; the command prints the message and exits 2. */
export class ReviewInputError extends Error {
  /** One problem, or every problem found at once: `2 problems:` and one line each. */
  static of(problems: readonly string[]): ReviewInputError {
    const message = problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
    return new ReviewInputError(message, problems);
  }

  constructor(message: string, readonly problems: readonly string[] = [message]) {
    super(message);
    this.name = "ReviewInputError";
  }
}

/** One synthesized stack: its name and its Terraform JSON. */
export interface LoadedStack {
  readonly name: string;
  readonly file: string;
  readonly config: TerraformConfig;
}

const STACK_FILE = "cdk.tf.json";
const EXPECTED = `expected a ${CDK_CLI} output folder (with manifest.json or stacks/*/${STACK_FILE}), a stack folder holding ${STACK_FILE}, a ${STACK_FILE} file, or a saved plan as JSON (terraform show -json plan.bin > plan.json)`;
export const MAKE_PLAN_JSON = "terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json";
/** What the review reads and the commands that make it, for messages about input that is none of it. */
const EXPECTED_AND_HOW = `expected a ${CDK_CLI} output folder (${CDK_CLI} synth makes cdktf.out) or a saved plan as JSON (${MAKE_PLAN_JSON})`;
/** The folder `review` reads when given no path. */
export const DEFAULT_INPUT = "cdktf.out";
/**
 * The largest file the review reads. JSON.parse holds the whole document, about 9 times the file's size
 * (a 50 MB plan: 458 MB), so a limit keeps memory bounded (about 600 MB) on a CI runner; a root's plan
 * that large is reviewed as a plan of the module (-target).
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Commands a mistyped one may be meant as (a missing path that is a plain word). */
const COMMANDS = ["review", "adopt"];

/** A saved plan as `terraform show -json` prints it. */
export interface LoadedPlan {
  readonly name: string;
  readonly file: string;
  readonly plan: JsonObject;
  /** The module addresses the plan is limited to ({@link planAtModules}); undefined: the whole plan. */
  readonly modules?: readonly string[];
  /** Those of {@link modules} whose call the configuration has but under which the plan has nothing (`count = 0`). */
  readonly emptyModules?: readonly string[];
}

/** What `review <path>` was given: a synth's stacks, or one plan. */
export type ReviewInput = { readonly kind: "synth"; readonly stacks: LoadedStack[] } | { readonly kind: "plan"; readonly plan: LoadedPlan };

/**
 * Recognises the input by its format: a file holding the JSON of a saved plan (`format_version` 1.x and
 * `planned_values` or `resource_changes`) is a plan; anything else must be one of the synth's shapes
 * ({@link loadStacks}). A state, a plan of an unknown format version or a failed plan is unusable input.
 */
export function loadInput(input?: string): ReviewInput {
  if (input === undefined) {
    if (statOrUndefined(DEFAULT_INPUT) === undefined) {
      throw new ReviewInputError(`no path given, and there is no ${DEFAULT_INPUT} here to review: ${EXPECTED_AND_HOW}, e.g. mixpanel-s3-export review plan.json`);
    }
    return loadInput(DEFAULT_INPUT);
  }
  if (statOrUndefined(input)?.isFile()) {
    const json = readJson(input);
    const plan = planOrUndefined(input, json);
    if (plan) return { kind: "plan", plan };
  }
  return { kind: "synth", stacks: loadStacks(input) };
}

function planOrUndefined(file: string, json: unknown): LoadedPlan | undefined {
  if (!isObject(json)) return undefined;
  if (typeof json.version === "number" && Array.isArray(json.resources) && ("lineage" in json || "serial" in json)) {
    throw new ReviewInputError(`${file} is a Terraform state file, not a plan: ${EXPECTED}; to make one: ${MAKE_PLAN_JSON}`);
  }
  if (!("format_version" in json)) return undefined;
  const version = typeof json.format_version === "string" ? json.format_version : JSON.stringify(json.format_version);
  if (!("planned_values" in json) && !("resource_changes" in json)) {
    const what = "values" in json ? "the JSON of a Terraform state (terraform show -json without a plan file)" : "Terraform JSON output that is no plan (no planned_values or resource_changes)";
    throw new ReviewInputError(`${file} is ${what}, not a plan: to make one: ${MAKE_PLAN_JSON}`);
  }
  if (version.split(".")[0] !== PLAN_FORMAT_MAJOR) {
    throw new ReviewInputError(`${file} is a plan of format version ${version}, which this review does not know: it reads terraform show -json format ${PLAN_FORMAT_MAJOR}.x (Terraform 1.x)`);
  }
  if (json.errored === true) {
    throw new ReviewInputError(`${file} is a plan that failed (errored: true): fix the errors terraform plan printed, then plan again`);
  }
  return { name: path.basename(file).replace(/\.json$/, ""), file, plan: json };
}

/**
 * The part of a plan at or under module addresses (`review plan.json --module <address>`): `resource_changes`,
 * `prior_state` and `planned_values` keep only the resources whose address is one of `modules` or lies under
 * one, so everything the review reads comes from those modules. An address without an instance key also
 * takes in every instance of that call (`module.team` covers `module.team["prod"]`), as Terraform's `-target`
 * does; several addresses are a union. The `configuration` stays whole: it has no instances, and references
 * inside a module resolve through its `module_calls` as in the whole plan. Addresses stay the plan's own.
 * A call the configuration has but under which the plan has nothing (no instance: `count = 0`, an empty
 * `for_each`; or no resource) is reviewed as empty and listed in `emptyModules`: an environment switched off
 * passes a CI gate that reviews its call. Throws {@link ReviewInputError} naming every other address under
 * which the plan has no resource, with the module addresses it has.
 */
export function planAtModules(loaded: LoadedPlan, modules: readonly string[]): LoadedPlan {
  const known = planModuleAddresses(loaded.plan);
  const nothingUnder = modules.filter((module) => !known.some((address) => isAtOrUnder(address, module)));
  const emptyModules = nothingUnder.filter((module) => moduleCallConfig(loaded.plan, module) !== undefined);
  const unmatched = nothingUnder.filter((module) => !emptyModules.includes(module));
  if (unmatched.length > 0) {
    const has = known.length > 0 ? `its modules are ${known.join(", ")}` : "it has no module: every resource is in the root module";
    throw ReviewInputError.of(unmatched.map((module) => `--module ${module}: ${loaded.file} has no resource at or under this address; ${has}`));
  }
  const within = (address: Json | undefined) => typeof address === "string" && modules.some((module) => isAtOrUnder(address, module));
  const plan: JsonObject = { ...loaded.plan };
  if (Array.isArray(plan.resource_changes)) plan.resource_changes = plan.resource_changes.filter((rc) => isObject(rc) && within(rc.address));
  if (isObject(plan.planned_values)) plan.planned_values = valuesWithin(plan.planned_values, within);
  if (isObject(plan.prior_state) && isObject(plan.prior_state.values)) {
    plan.prior_state = { ...plan.prior_state, values: valuesWithin(plan.prior_state.values, within) };
  }
  return { ...loaded, plan, modules, emptyModules };
}

/** Whether a resource's or module's address is `module` or lies under it (or under one of its instances, when it has no key). */
function isAtOrUnder(address: string, module: string): boolean {
  return address === module || address.startsWith(`${module}.`) || address.startsWith(`${module}[`);
}

/** Every module address the plan has a resource in (its ancestors included), sorted. */
export function planModuleAddresses(plan: JsonObject): string[] {
  const addresses = new Set<string>();
  for (const rc of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isObject(rc) && typeof rc.module_address === "string") addresses.add(rc.module_address);
  }
  const walk = (module: Json | undefined) => {
    if (!isObject(module)) return;
    if (typeof module.address === "string") addresses.add(module.address);
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) walk(child);
  };
  walk(isObject(plan.planned_values) ? plan.planned_values.root_module : undefined);
  walk(isObject(plan.prior_state) && isObject(plan.prior_state.values) ? plan.prior_state.values.root_module : undefined);
  return [...addresses].sort();
}

/** A `planned_values` or `prior_state.values` tree with only the resources `within` takes (and the modules holding them). */
function valuesWithin(values: JsonObject, within: (address: Json | undefined) => boolean): JsonObject {
  const prune = (module: JsonObject): JsonObject => {
    const resources = Array.isArray(module.resources) ? module.resources.filter((r) => isObject(r) && within(r.address)) : [];
    const children = (Array.isArray(module.child_modules) ? module.child_modules : []).filter(isObject).map(prune)
      .filter((child) => (child.resources as Json[]).length > 0 || (child.child_modules as Json[]).length > 0);
    return { ...module, resources, child_modules: children };
  };
  return isObject(values.root_module) ? { ...values, root_module: prune(values.root_module) } : values;
}

/**
 * Reads the stacks of a synthesized cdktf app from any of the three shapes `cdktf synth` leaves behind:
 * the output folder (manifest.json names the stacks; without it, `stacks/<name>/cdk.tf.json`), one stack's
 * folder, or a `cdk.tf.json` file. Throws {@link ReviewInputError} on anything else.
 */
export function loadStacks(input: string): LoadedStack[] {
  const stat = statOrUndefined(input);
  if (!stat) {
    // A plain word is more likely a mistyped command than a path.
    const command = /^[a-z][a-z-]*$/.test(input) ? `, nor a command of mixpanel-s3-export (${COMMANDS.join(", ")}; see --help)` : "";
    throw new ReviewInputError(`${input}: no such file or folder${command}`);
  }
  if (stat.isFile()) return [loadStackFile(input, stackNameOf(input))];

  const manifest = path.join(input, "manifest.json");
  if (fs.existsSync(manifest)) return loadFromManifest(input, manifest);
  const stacksDir = path.join(input, "stacks");
  if (statOrUndefined(stacksDir)?.isDirectory()) {
    const names = fs.readdirSync(stacksDir).filter((name) => fs.existsSync(path.join(stacksDir, name, STACK_FILE))).sort();
    if (names.length > 0) return names.map((name) => loadStackFile(path.join(stacksDir, name, STACK_FILE), name));
  }
  const own = path.join(input, STACK_FILE);
  if (fs.existsSync(own)) return [loadStackFile(own, path.basename(path.resolve(input)))];
  throw new ReviewInputError(`${input} is not a ${CDK_CLI} output: ${EXPECTED}`);
}

function loadFromManifest(dir: string, manifestFile: string): LoadedStack[] {
  const manifest = readJson(manifestFile);
  const stacks = isObject(manifest) ? manifest.stacks : undefined;
  if (!isObject(stacks) || Object.keys(stacks).length === 0) {
    throw new ReviewInputError(`${manifestFile} is not a ${CDK_CLI} manifest: it names no stacks`);
  }
  return Object.entries(stacks).sort(([a], [b]) => a.localeCompare(b)).map(([name, entry]) => {
    const relative = isObject(entry) && typeof entry.synthesizedStackPath === "string"
      ? entry.synthesizedStackPath : path.join("stacks", name, STACK_FILE);
    const file = path.join(dir, relative);
    if (!fs.existsSync(file)) throw new ReviewInputError(`${manifestFile} names stack "${name}" at ${relative}, which is missing`);
    return loadStackFile(file, isObject(entry) && typeof entry.name === "string" ? entry.name : name);
  });
}

function loadStackFile(file: string, name: string): LoadedStack {
  const json = readJson(file);
  const looksLikeTerraform = isObject(json) && ["terraform", "resource", "output", "provider"].some((key) => key in json);
  if (!looksLikeTerraform) {
    throw new ReviewInputError(`${file} is not a synthesized Terraform stack (no "terraform", "resource" or "output" key): ${EXPECTED}`);
  }
  return { name, file, config: json as TerraformConfig };
}

/**
 * The JSON in `file`: UTF-8 with or without a byte order mark, or UTF-16 with one (PowerShell's `>` writes
 * that). Throws {@link ReviewInputError} naming what the file is instead: too large, empty, a binary plan,
 * `terraform plan -json`'s message stream, or not JSON.
 */
function readJson(file: string): unknown {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_INPUT_BYTES) {
      const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
      throw new ReviewInputError(`${file} is ${mb(size)}, over the review's limit of ${mb(MAX_INPUT_BYTES)} (it holds the whole JSON in memory): review a plan of the module alone (terraform plan -target=module.<name> -out=plan.bin, then terraform show -json plan.bin > plan.json)`);
    }
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof ReviewInputError) throw error;
    throw new ReviewInputError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  // A saved plan (`terraform plan -out`) is a zip archive: the review reads its JSON form.
  if (bytes.subarray(0, 4).equals(Buffer.from("PK\u0003\u0004"))) {
    throw new ReviewInputError(`${file} is a binary plan file: review its JSON instead (terraform show -json ${path.basename(file)} > plan.json)`);
  }
  const text = decodeText(bytes);
  if (text.trim() === "") throw new ReviewInputError(`${file} is empty: ${EXPECTED_AND_HOW}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (isUiStream(text)) {
      throw new ReviewInputError(`${file} is the message stream of terraform plan -json (one JSON message a line), not a saved plan: to make one: ${MAKE_PLAN_JSON}`);
    }
    throw new ReviewInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Text by its byte order mark: UTF-16 (little or big endian) or UTF-8; UTF-8 without one. */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  // swap16 needs whole code units: a stray last byte is dropped, as a decoder would.
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString("utf16le");
  const text = bytes.toString("utf8");
  return text.startsWith("\ufeff") ? text.slice(1) : text;
}

/** Whether the text is `terraform plan -json`'s output: one JSON message a line, each with `@level` and `@message`. */
function isUiStream(text: string): boolean {
  try {
    const first = JSON.parse(text.split("\n", 1)[0]) as unknown;
    return isObject(first as Json) && "@message" in (first as JsonObject) && "@level" in (first as JsonObject);
  } catch {
    return false;
  }
}

/** A `cdk.tf.json` file is named after its folder (`stacks/<name>/cdk.tf.json`); any other file after itself. */
function stackNameOf(file: string): string {
  const base = path.basename(file);
  return base === STACK_FILE ? path.basename(path.dirname(path.resolve(file))) : base.replace(/\.tf\.json$|\.json$/, "");
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
