import * as fs from "fs";
import * as path from "path";
import { TerraformConfig, isObject } from "./terraform-json";

/** Input the review cannot use; the command prints the message and exits 2. */
export class ReviewInputError extends Error {
  constructor(message: string) {
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
const EXPECTED = `expected a cdktf output folder (with manifest.json or stacks/*/${STACK_FILE}), a stack folder holding ${STACK_FILE}, or a ${STACK_FILE} file`;

/**
 * Reads the stacks of a synthesized cdktf app from any of the three shapes `cdktf synth` leaves behind:
 * the output folder (manifest.json names the stacks; without it, `stacks/<name>/cdk.tf.json`), one stack's
 * folder, or a `cdk.tf.json` file. Throws {@link ReviewInputError} on anything else.
 */
export function loadStacks(input: string): LoadedStack[] {
  const stat = statOrUndefined(input);
  if (!stat) throw new ReviewInputError(`${input}: no such file or folder`);
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
  throw new ReviewInputError(`${input} is not a cdktf output: ${EXPECTED}`);
}

function loadFromManifest(dir: string, manifestFile: string): LoadedStack[] {
  const manifest = readJson(manifestFile);
  const stacks = isObject(manifest) ? manifest.stacks : undefined;
  if (!isObject(stacks) || Object.keys(stacks).length === 0) {
    throw new ReviewInputError(`${manifestFile} is not a cdktf manifest: it names no stacks`);
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

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ReviewInputError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReviewInputError(`${file} is not valid JSON: ${(error as Error).message}`);
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
