import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The GitHub workflows cannot run here; they are parsed, validated against GitHub's schema with
 * action-validator (`@action-validator/core`, the library its CLI runs), their `run` steps checked with
 * shellcheck where it is installed, and the review steps run in bash as the runner runs them, with `npx`
 * standing for the package's own launcher.
 */
const yaml = require("js-yaml") as { load(text: string): unknown };

export const ROOT = path.join(__dirname, "..", "..");
export const WORKFLOWS = {
  /** For a repository using the cdktf stack (this one among them). */
  stack: path.join(ROOT, ".github", "workflows", "plan-review.yml"),
  /** Ready to copy, for a plain-Terraform repository calling the module. */
  terraform: path.join(ROOT, "examples", "workflows", "terraform-plan-review.yml"),
  /** This project's own CI: `npm ci && npm test` on each supported Node.js LTS line. */
  ci: path.join(ROOT, ".github", "workflows", "ci.yml"),
} as const;

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, { "runs-on": string; env?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }>;
}

export function loadWorkflow(file: string): Workflow {
  return yaml.load(fs.readFileSync(file, "utf8")) as Workflow;
}

export function stepsOf(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/**
 * action-validator's check of a workflow file, as its CLI (`action-validator <file>`) makes it: the same
 * library call (`validateWorkflow` of `@action-validator/core`), here in-process rather than a node and its
 * WebAssembly started per file. Status 1 and the result as JSON (what the CLI prints) when there are errors.
 */
export function actionValidator(file: string): { status: number; output: string } {
  const { validateWorkflow } = require("@action-validator/core") as { validateWorkflow(source: string): { errors: unknown[] } };
  const result = validateWorkflow(fs.readFileSync(file, "utf8"));
  return result.errors.length > 0 ? { status: 1, output: `${JSON.stringify(result, null, 2)}\n` } : { status: 0, output: "" };
}

/** shellcheck's path, or undefined where it is not installed. */
export function shellcheckPath(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * A `run` script as bash sees it on the runner: `${{ ... }}` expressions are substituted by the runner
 * before the shell starts, so they stand here as a plain word.
 */
export function shellScript(run: string): string {
  return `#!/usr/bin/env bash\n${run.replace(/\$\{\{[^}]*\}\}/g, "GITHUB_EXPRESSION")}`;
}

/** shellcheck of one script (bash, as GitHub's default shell): its exit code and findings. */
export function shellcheck(binary: string, script: string): { status: number | null; output: string } {
  const result = spawnSync(binary, ["--shell=bash", "--format=gcc", "-"], { input: script, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface StepRun {
  readonly status: number | null;
  readonly stderr: string;
  /** What the step wrote to $GITHUB_OUTPUT. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/**
 * Runs a `run` step in bash as the runner does (`bash --noprofile --norc -eo pipefail`), in `workspace`
 * (plus the step's working-directory), with `npx` on PATH standing for `npx [--yes] mixpanel-s3-export[@v]`:
 * this checkout's own bin/mixpanel-s3-export.js.
 */
export function runStep(step: Step, workspace: string, env: Record<string, string>): StepRun {
  const tools = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-runner-"));
  try {
    const npx = path.join(tools, "npx");
    fs.writeFileSync(npx, [
      "#!/usr/bin/env bash",
      'while [ "$1" = "--yes" ]; do shift; done',
      'case "$1" in mixpanel-s3-export|mixpanel-s3-export@*) shift ;; *) echo "npx: not the package: $1" >&2; exit 127 ;; esac',
      `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, "bin", "mixpanel-s3-export.js"))} "$@"`,
      "",
    ].join("\n"), { mode: 0o755 });
    const script = path.join(tools, "step.sh");
    fs.writeFileSync(script, step.run ?? "");
    const [output, summary] = [path.join(tools, "output"), path.join(tools, "summary")];
    fs.writeFileSync(output, "");
    fs.writeFileSync(summary, "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: path.join(workspace, step["working-directory"] ?? "."),
      encoding: "utf8",
      env: {
        PATH: `${tools}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME ?? tools,
        GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: workspace, ...env,
      },
    });
    const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").split("\n").filter((l) => l.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    return { status: result.status, stderr: result.stderr, outputs, summary: fs.readFileSync(summary, "utf8") };
  } finally {
    fs.rmSync(tools, { recursive: true, force: true });
  }
}
