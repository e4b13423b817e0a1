/**
 * Many roots through ONE `terraform test`: each root in a folder of its own, planned (or applied, with a
 * mocked provider) as the module under test of its own test file. A root stays a root: its own provider
 * blocks, variables and outputs. Terraform loads the AWS provider's schema once for the whole command
 * instead of once per `terraform` command and root; the runs attach to the run's provider processes
 * (provider-processes.ts).
 * A root that fails fails only its own test file: test files run independently of each other.
 *
 * With `-json -verbose`, terraform prints each run's plan (`test_plan`: `resource_changes` and
 * `output_changes` as `terraform show -json` has them; no `configuration`, `prior_state` or
 * `planned_values`), each apply's state (`test_state`), and every diagnostic with its file and run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Diagnostic, OutputChange, RootFiles, TerraformError, terraform, writeRootFiles } from "./terraform";

/** A root and the test file that runs it (see {@link moduleUnderTest}). */
export interface TestedRoot {
  /** Unique within the call: names the root's folder, its test file and its results. */
  readonly name: string;
  readonly files: RootFiles;
  /** The text of the root's `.tftest.hcl`; its run blocks name the root with {@link moduleUnderTest}. */
  readonly tests: string;
}

/** What `terraform test -json -verbose` prints of a plan. */
export interface TestPlan {
  readonly plan_format_version: string;
  readonly resource_changes?: {
    address: string; type: string; module_address?: string;
    change: { actions: string[]; before: unknown; after: Record<string, unknown> | null; after_unknown: Record<string, unknown>; after_sensitive: Record<string, unknown> | false; importing?: unknown };
  }[];
  readonly output_changes?: Record<string, OutputChange>;
}

/** One module of a state as `terraform test -json -verbose` prints it. */
export interface TestStateModule {
  resources?: {
    address: string; mode: string; type: string; name: string; index?: string | number;
    provider_name: string; schema_version: number; values: Record<string, unknown>;
  }[];
  child_modules?: TestStateModule[];
}

export interface RunOutcome {
  /** `pass`, `fail` (an assertion), `error` (terraform could not plan or apply) or `skip`. */
  readonly status: string;
  readonly plan?: TestPlan;
  readonly state?: TestStateModule;
  readonly diagnostics: readonly Diagnostic[];
}

export interface TestedRootOutcome {
  /** Each run by its name, in the order the file runs them. */
  readonly runs: ReadonlyMap<string, RunOutcome>;
  /** Diagnostics of the file that belong to no run (a test file that cannot load, say). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The `module` block of a run block that tests the root named `name`. */
export function moduleUnderTest(name: string): string {
  return `  module {\n    source = "./${folderOf(name)}"\n  }`;
}

const folderOf = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, "-");

export interface Event {
  type: string;
  "@testfile"?: string;
  "@testrun"?: string;
  test_run?: { run: string; progress: string; status?: string };
  test_plan?: TestPlan;
  test_state?: { root_module: TestStateModule };
  diagnostic?: Diagnostic;
}

export interface TestOptions {
  /** Writes what the roots share (a module they call by a relative path) into the folder that holds them. */
  readonly prepare?: (dir: string) => void;
  /** Every provider of the tests is a `mock_provider`: the init need not install the real one (nor check the roots' version constraints). */
  readonly mocksOnly?: boolean;
}

/**
 * Runs `terraform test -json -verbose` over every root, and returns each root's runs. Resolves even when
 * runs fail (their diagnostics say why); rejects when terraform prints no summary at all.
 */
export async function testRoots(roots: readonly TestedRoot[], label: string, options: TestOptions = {}): Promise<Map<string, TestedRootOutcome>> {
  const folders = roots.map((root) => folderOf(root.name));
  if (new Set(folders).size !== folders.length) throw new Error("testRoots: root names must be unique as folder names");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mixpanel-tftest-${folderOf(label).slice(0, 40)}-`));
  try {
    // The directory terraform test runs in is a module too: it needs only the provider it passes on.
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } }));
    fs.mkdirSync(path.join(dir, "tests"));
    options.prepare?.(dir);
    roots.forEach((root, i) => {
      writeRootFiles(path.join(dir, folders[i]), root.files);
      fs.writeFileSync(path.join(dir, "tests", `${folders[i]}.tftest.hcl`), root.tests);
    });
    // Real providers: init installs the provider, and checks the roots' version constraints against it. Mocks
    // only: init attaches (it then installs the modules, not the provider). The runs attach either way.
    await terraform(dir, ["init", "-input=false", "-no-color"], { ownProvider: options.mocksOnly !== true });
    const stdout = await testOutput(dir);
    return outcomes(stdout.split("\n").filter((line) => line.trim() !== "").map(parseEvent), roots, folders);
  } finally {
    if (process.env.KEEP_TF_DIRS === "1") process.stderr.write(`terraform tier: kept ${dir} (KEEP_TF_DIRS=1)\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `terraform test` exits 1 when any run fails; its output tells which, so only a missing summary is an error. */
async function testOutput(dir: string): Promise<string> {
  try {
    return (await terraform(dir, ["test", "-json", "-verbose", "-no-color"])).stdout;
  } catch (error) {
    if (!(error instanceof TerraformError) || !error.stdout.includes('"type":"test_summary"')) throw error;
    return error.stdout;
  }
}

function outcomes(events: Event[], roots: readonly TestedRoot[], folders: readonly string[]): Map<string, TestedRootOutcome> {
  const result = new Map<string, TestedRootOutcome>();
  roots.forEach((root, i) => {
    const file = `tests/${folders[i]}.tftest.hcl`;
    const mine = events.filter((e) => e["@testfile"] === file);
    const runs = new Map<string, RunOutcome>();
    for (const event of mine.filter((e) => e.type === "test_run" && e.test_run!.progress === "complete")) {
      const run = event["@testrun"]!;
      const ofRun = mine.filter((e) => e["@testrun"] === run);
      runs.set(run, {
        status: event.test_run!.status ?? "unknown",
        plan: ofRun.find((e) => e.type === "test_plan")?.test_plan,
        state: ofRun.find((e) => e.type === "test_state")?.test_state?.root_module,
        diagnostics: ofRun.filter((e) => e.type === "diagnostic").map((e) => e.diagnostic!),
      });
    }
    result.set(root.name, { runs, diagnostics: mine.filter((e) => e.type === "diagnostic" && e["@testrun"] === undefined).map((e) => e.diagnostic!) });
  });
  return result;
}

/**
 * One line of terraform's JSON output. A plan's line carries the AWS provider's whole schema (13 MB, under
 * `provider_schemas`), which nothing here reads: it is cut out before parsing.
 */
export function parseEvent(line: string): Event {
  const key = line.indexOf('"provider_schemas":');
  if (key < 0) return JSON.parse(line) as Event;
  const end = endOfValue(line, key + '"provider_schemas":'.length);
  const before = line.slice(0, key).replace(/,\s*$/, "");
  return JSON.parse(before + line.slice(end)) as Event;
}

/** The index just past the JSON object or array that starts at `start` (strings and escapes skipped). */
function endOfValue(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error("terraform test printed a truncated line");
}

/** Diagnostics as terraform prints them: `Error: <summary>`, where, the values involved, then the detail. */
export function diagnosticsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => {
    const snippet = (d as Diagnostic & { snippet?: { context?: string; code?: string; values?: { traversal: string; statement: string }[] } }).snippet;
    const where = d.range ? `\n  on ${d.range.filename} line ${d.range.start.line}${snippet?.context ? `, in ${snippet.context}` : ""}:` : "";
    const code = snippet?.code ? `\n${snippet.code}` : "";
    const values = (snippet?.values ?? []).map((v) => `\n    ${v.traversal} ${v.statement}`).join("");
    return `${d.severity === "error" ? "Error" : "Warning"}: ${d.summary}\n${where}${code}${values}\n\n${d.detail ?? ""}`;
  }).join("\n\n");
}

/** A root to plan with the real provider (see {@link planRoots}). */
export interface RootToPlan {
  readonly name: string;
  /** The root's files, its offline provider settings included (an `*_override.tf.json` beside its own). */
  readonly files: RootFiles;
  /** The root's variables, as the body of a `variables` block (tfvars syntax). */
  readonly variables?: string;
}

/** A root's plan, or why it could not plan. */
export type RootPlan =
  | { readonly ok: true; readonly plan: TestPlan; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly error: string; readonly diagnostics: readonly Diagnostic[] };

/**
 * Plans every root with the real AWS provider (offline, as `terraform plan` does) in one `terraform test`, a
 * test file each: one root's failure is its own.
 */
export async function planRoots(roots: readonly RootToPlan[], label: string, options: TestOptions = {}): Promise<Map<string, RootPlan>> {
  const tested = await testRoots(roots.map((root) => ({
    name: root.name,
    files: root.files,
    tests: `run "plan" {
  command = plan
${moduleUnderTest(root.name)}
${root.variables === undefined ? "" : `  variables {\n${root.variables.trim().split("\n").map((line) => `    ${line}`).join("\n")}\n  }\n`}}
`,
  })), label, options);
  return new Map(roots.map((root): [string, RootPlan] => {
    const outcome = tested.get(root.name)!;
    const run = outcome.runs.get("plan");
    const diagnostics = [...outcome.diagnostics, ...(run?.diagnostics ?? [])];
    if (run?.status === "pass" && run.plan !== undefined) return [root.name, { ok: true, plan: run.plan, diagnostics }];
    return [root.name, { ok: false, error: `${root.name}: ${run?.status ?? "not run"}\n${diagnosticsText(diagnostics)}`, diagnostics }];
  }));
}
