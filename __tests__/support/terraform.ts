/**
 * The "terraform tier": runs the real `terraform` CLI (init, validate, plan, show) on synthesized stacks,
 * offline, against the AWS provider in a local filesystem mirror (see /work/shared/TOOLCHAIN.md).
 *
 * Where terraform or the mirror is missing, `describeTerraform` skips its suite and says so loudly on
 * stderr: the tier never passes silently.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { writeWhole } from "../../scripts/write-whole";
import { providerEnv } from "./provider-processes";

const execFileAsync = promisify(execFile);

/** The provider every plan runs against: the one binary the offline mirror holds. */
export const AWS_PROVIDER_VERSION = "5.100.0";
const PROVIDER_PATH = `registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}/linux_amd64`;
const PROVIDER_BINARY = `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`;
const DEFAULT_MIRROR = "/opt/tf-plugins";

/**
 * Stable folder (shared by jest workers and runs) for the CLI config file and the plugin cache. The jest
 * globalSetup pins it in MIXPANEL_TF_HOME before it points TMPDIR at a folder of the run's own.
 */
export const TF_HOME = process.env.MIXPANEL_TF_HOME ?? path.join(os.tmpdir(), "mixpanel-s3-export-tf");
export const PLUGIN_CACHE_DIR = path.join(TF_HOME, "plugin-cache");

export type TerraformTier = { available: true } | { available: false; reason: string };

/** A root configuration as files by name (`main.tf`, `cdk.tf.json`, `team/main.tf`, ...). */
export type RootFiles = Readonly<Record<string, string>>;

/** Whether `file` is an override file: it only changes blocks that other files declare. */
export const isOverrideFile = (file: string) => /(^|[/_])override\.tf(\.json)?$/.test(file);

/** How many `provider "aws"` blocks (HCL) or `provider.aws` entries (JSON) a configuration file declares; none in override files. */
export function providerBlocks(file: string, text: string): number {
  if (isOverrideFile(file)) return 0;
  if (file.endsWith(".tf.json")) {
    const aws = (JSON.parse(text) as { provider?: { aws?: unknown } }).provider?.aws;
    return aws === undefined ? 0 : Array.isArray(aws) ? aws.length : 1;
  }
  return file.endsWith(".tf") ? (text.match(/^\s*provider\s+"aws"\s*\{/gm) ?? []).length : 0;
}

/** Writes a root's files into `dir`, subfolders included. */
export function writeRootFiles(dir: string, files: RootFiles): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

/** The provider's binary in the mirror. */
export function mirroredProviderBinary(): string {
  return path.join(mirrorDir(), PROVIDER_PATH, PROVIDER_BINARY);
}

/** The filesystem mirror folder: `MIXPANEL_TF_MIRROR`, else /opt/tf-plugins. */
export function mirrorDir(): string {
  return process.env.MIXPANEL_TF_MIRROR || DEFAULT_MIRROR;
}

let tier: TerraformTier | undefined;

/** Whether this machine can run the tier; checked once per process. */
export function terraformTier(): TerraformTier {
  if (tier === undefined) tier = checkTier();
  return tier;
}

function checkTier(): TerraformTier {
  const binary = mirroredProviderBinary();
  if (!fs.existsSync(binary)) {
    return { available: false, reason: `AWS provider ${AWS_PROVIDER_VERSION} not found at ${binary} (set MIXPANEL_TF_MIRROR to the mirror folder)` };
  }
  try {
    execFileSync("terraform", ["version"], { env: terraformEnv(), stdio: "pipe", timeout: 30000 });
  } catch (error) {
    return { available: false, reason: `\`terraform version\` failed: ${(error as Error).message.split("\n")[0]}` };
  }
  return { available: true };
}

/** The CLI config text: the mirror only (no network), and the shared plugin cache. */
function cliConfigText(): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir())}`,
    `    include = ["registry.terraform.io/*/*"]`,
    "  }",
    "  direct {",
    `    exclude = ["registry.terraform.io/*/*"]`,
    "  }",
    "}",
    `plugin_cache_dir = ${JSON.stringify(PLUGIN_CACHE_DIR)}`,
    // Without this, an init with no lock file (every fresh plan folder) reinstalls the provider into the
    // cache, removing and recreating its entry: parallel inits then fail with "failed to create directory
    // ...: file exists" even on a warm cache. With it, a warm cache is only read. The lock files it
    // "breaks" live in throwaway folders.
    "plugin_cache_may_break_dependency_lock_file = true",
    "",
  ].join("\n");
}

let cliConfigPath: string | undefined;

/**
 * Writes the CLI config file once into {@link TF_HOME} and returns its path. Written to a temporary name
 * and renamed, so concurrent jest workers never read a half-written file.
 */
export function cliConfigFile(): string {
  if (cliConfigPath !== undefined) return cliConfigPath;
  const file = path.join(TF_HOME, "terraformrc");
  const text = cliConfigText();
  fs.mkdirSync(PLUGIN_CACHE_DIR, { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
    writeWhole(file, text);
  }
  cliConfigPath = file;
  return file;
}

/** Environment of every terraform command. */
export function terraformEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile(),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // terraform and the provider are Go programs that spend about a fifth of their CPU collecting garbage
    // while loading the provider's schema; plans are CPU-bound. No GC below 1 GiB per process (each peaks
    // near 650 MB) cuts that. Either can be overridden from the environment.
    GOGC: process.env.GOGC ?? "off",
    GOMEMLIMIT: process.env.GOMEMLIMIT ?? "1GiB",
  };
}

interface CommandOutput {
  stdout: string;
  stderr: string;
}

interface ExecError extends Error {
  code?: number | string;
  signal?: string | null;
  stdout?: string;
  stderr?: string;
}

/** A failed terraform command: its message names the command, exit code and stderr; `stdout` is kept. */
export class TerraformError extends Error {
  constructor(message: string, readonly stdout: string) {
    super(message);
  }
}

export interface CommandOptions {
  /**
   * The command starts its own provider processes, as terraform does by default, instead of attaching to the
   * run's (provider-processes.ts). For the inits that must install the provider from the mirror: an init that
   * attaches installs the modules only, and checks no version constraint.
   */
  readonly ownProvider?: boolean;
  /** Attaches to these providers instead of the run's (a `TF_REATTACH_PROVIDERS` value). */
  readonly attach?: Readonly<Record<string, string>>;
  /** What the command reads on its standard input (`terraform console`'s expressions). */
  readonly input?: string;
}

/** Runs `terraform <args>` in `cwd`; rejects with a {@link TerraformError}. */
export async function terraform(cwd: string, args: string[], options: CommandOptions = {}): Promise<CommandOutput> {
  const env = { ...terraformEnv(), ...(options.ownProvider ? {} : options.attach ?? providerEnv()) };
  try {
    const command = execFileAsync("terraform", args, { cwd, env, maxBuffer: 1024 * 1024 * 1024 });
    // A command that exits before reading its input must not fail the run with EPIPE.
    command.child.stdin?.on("error", () => undefined);
    command.child.stdin?.end(options.input ?? "");
    return await command;
  } catch (error) {
    throw new TerraformError(commandError(cwd, args, error as ExecError).message, (error as ExecError).stdout ?? "");
  }
}

function commandError(cwd: string, args: string[], error: ExecError): Error {
  const stderr = (error.stderr ?? "").trim();
  return new Error(
    `\`terraform ${args.join(" ")}\` failed with exit code ${error.code ?? "?"}${error.signal ? ` (signal ${error.signal})` : ""} in ${cwd}` +
      (stderr ? `\nstderr:\n${stderr}` : `\n${error.message}`),
  );
}

/**
 * One `terraform init` of a provider-only config, so the plugin cache holds the provider before tests
 * run their inits in parallel (concurrent first installs into one cache race). Skipped when the cache
 * already holds a complete copy of the mirror's binary.
 */
export async function warmPluginCache(): Promise<void> {
  if (pluginCacheIsWarm()) return;
  const dir = fs.mkdtempSync(path.join(TF_HOME, "warm-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } },
    }));
    await terraform(dir, ["init", "-input=false", "-no-color"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The cache holds the mirror's provider (terraform links an unpacked mirror's folder into it). */
export function pluginCacheIsWarm(): boolean {
  const mirrored = path.join(mirrorDir(), PROVIDER_PATH, PROVIDER_BINARY);
  const cached = path.join(PLUGIN_CACHE_DIR, PROVIDER_PATH, PROVIDER_BINARY);
  try {
    return fs.statSync(cached).size === fs.statSync(mirrored).size;
  } catch {
    return false;
  }
}

export interface ResourceChange {
  address: string;
  type: string;
  actions: string[];
}

export interface OutputChange {
  actions: string[];
  /** Absent while the value is unknown until apply. */
  after?: unknown;
  after_unknown: unknown;
  after_sensitive?: unknown;
}

export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number; column: number } };
}

export interface ValidationResult {
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: Diagnostic[];
}

export interface PlanResult {
  /** The diagnostics of `terraform plan` (its validation's among them), as `validate -json` has them; always valid: invalid configurations throw. */
  validation: ValidationResult;
  resourceChanges: ResourceChange[];
  /** `planned_values` of `terraform show -json`. */
  plannedValues: PlannedValues;
  /** `output_changes` of `terraform show -json`, by output name. */
  outputChanges: Record<string, OutputChange>;
}

export interface PlannedValues {
  outputs?: Record<string, { sensitive: boolean; value?: unknown }>;
  root_module: {
    resources?: { address: string; type: string; name: string; values: Record<string, unknown> }[];
    child_modules?: unknown[];
  };
}

/** Provider arguments that let `terraform plan` run without an AWS account or network. */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: "mock-access-key",
  secret_key: "mock-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/**
 * The `*_override.tf.json` that makes a synthesized stack plannable offline: the settings above on every
 * `aws` provider block (aliases kept), and a backend inside the work folder when the stack names one
 * (cdktf's local backend points at the project folder). Nothing else is changed.
 */
export function offlineOverride(synthesized: Record<string, unknown>): Record<string, unknown> {
  const override: Record<string, unknown> = {};
  const providers = (synthesized.provider ?? {}) as Record<string, unknown>;
  const aws = providers.aws;
  if (Array.isArray(aws)) {
    override.provider = {
      aws: aws.map((block: Record<string, unknown>) =>
        block.alias === undefined ? { ...OFFLINE_PROVIDER_SETTINGS } : { alias: block.alias, ...OFFLINE_PROVIDER_SETTINGS }),
    };
  } else {
    override.provider = { aws: { ...OFFLINE_PROVIDER_SETTINGS } };
  }
  const settings = synthesized.terraform as { backend?: unknown } | undefined;
  if (settings?.backend !== undefined) {
    override.terraform = { backend: { local: { path: "terraform.tfstate" } } };
  }
  return override;
}

function formatDiagnostics(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => {
    const where = d.range ? ` (${d.range.filename}:${d.range.start.line}:${d.range.start.column})` : "";
    return `${d.severity}: ${d.summary}${where}${d.detail ? `\n  ${d.detail.replace(/\n/g, "\n  ")}` : ""}`;
  }).join("\n");
}

/** `terraform validate -json` in `dir`; rejects with the diagnostics when the configuration is invalid. */
export async function validateJson(dir: string): Promise<ValidationResult> {
  const args = ["validate", "-json", "-no-color"];
  const diagnosticsOf = (stdout: string) => {
    try {
      return formatDiagnostics((JSON.parse(stdout) as ValidationResult).diagnostics);
    } catch {
      return stdout;
    }
  };
  let stdout: string;
  try {
    ({ stdout } = await terraform(dir, args));
  } catch (error) {
    // Invalid configurations exit 1 with the diagnostics as JSON on stdout.
    if (!(error instanceof TerraformError)) throw error;
    throw new TerraformError(`${error.message}\n${diagnosticsOf(error.stdout)}`, error.stdout);
  }
  const result = JSON.parse(stdout) as ValidationResult;
  if (!result.valid) throw new Error(`\`terraform ${args.join(" ")}\` reported invalid in ${dir}\n${formatDiagnostics(result.diagnostics)}`);
  return result;
}

/**
 * `terraform plan -json <args>` in `dir`: the plan validates the configuration as `terraform validate` does
 * (then plans), so its diagnostics are the validation's and the plan's, told as `validate -json` tells them.
 * Rejects with the diagnostics when the plan fails.
 */
export async function planWithDiagnostics(dir: string, args: string[], options: CommandOptions = {}): Promise<ValidationResult> {
  const diagnosticsOf = (stdout: string) => stdout.split("\n").filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type: string; diagnostic?: Diagnostic })
    .filter((event) => event.type === "diagnostic").map((event) => event.diagnostic!);
  let diagnostics: Diagnostic[];
  try {
    diagnostics = diagnosticsOf((await terraform(dir, ["plan", "-json", ...args], options)).stdout);
  } catch (error) {
    if (!(error instanceof TerraformError)) throw error;
    throw new TerraformError(`${error.message}\n${formatDiagnostics(diagnosticsOf(error.stdout))}`, error.stdout);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { valid: errors === 0, error_count: errors, warning_count: diagnostics.length - errors, diagnostics };
}

let skipAnnounced = false;

/**
 * Declares a suite of the terraform tier: `describe` where the tier is available; elsewhere `describe.skip`
 * (its tests count as skipped) after one loud line on stderr.
 */
export function describeTerraform(name: string, fn: () => void): void {
  const state = terraformTier();
  if (state.available) {
    describe(name, fn);
    return;
  }
  if (!skipAnnounced) {
    skipAnnounced = true;
    process.stderr.write(`\nterraform tier SKIPPED: ${state.reason}\n\n`);
  }
  describe.skip(name, fn);
}

/** How many of each resource type, e.g. from a plan's resource changes: `{ aws_iam_role: 3, ... }`. */
export function countByType(types: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of types) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
