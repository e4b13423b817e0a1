/**
 * The library consumer tier: this project packed as users get it (`npm pack`, `npm run pack:cdktn`), then
 * installed into fresh apps written as users write theirs (__tests__/consumers/library-app/), each with its
 * peers pinned exactly as infrastructure repositories pin them.
 *
 * What costs: each app's provider bindings (400 MB) are unpacked by npm once and kept between runs
 * (install-cache.ts); each run copies them as hard links and lets npm install the library on top, as into a
 * user's existing app. The apps compile and test with this project's own TypeScript and jest (the versions it
 * pins), so installing an app unpacks only its CDK packages and the library, and one `tsc -b` compiles all four.
 *
 * Installing needs the npm registry (npm's cache is reused: `--prefer-offline`). Where the registry cannot
 * be reached, `describeLibraryConsumers` says so loudly and skips; it never passes silently.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { CDKTN_PACKAGE_NAME, Packed, npmPack, packCdktn } from "../../scripts/pack-cdktn";
import { writeWhole } from "../../scripts/write-whole";
import { copyInstalled, installed } from "./install-cache";

const execFileAsync = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const APP_TEMPLATE = path.join(__dirname, "..", "consumers", "library-app");

export interface Flavour {
  /** Names the app's folder and the tests. */
  readonly name: string;
  readonly core: "cdktf" | "cdktn";
  readonly aws: "@cdktf/provider-aws" | "@cdktn/provider-aws";
  readonly library: string;
  /** Exact versions of the app's own CDK packages. */
  readonly versions: { readonly core: string; readonly constructs: string; readonly aws: string };
}

/**
 * The apps of the tier: for each flavour, the oldest and the newest peers the README promises. The oldest
 * provider bindings are the first for AWS provider 5.100.0, the floor of AWS_PROVIDER_CONSTRAINT.
 */
export const FLAVOURS: readonly Flavour[] = [
  { name: "cdktf-oldest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.4.2", aws: "20.1.0" } },
  { name: "cdktf-newest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.8.1", aws: "21.22.1" } },
  { name: "cdktn-oldest", core: "cdktn", aws: "@cdktn/provider-aws", library: CDKTN_PACKAGE_NAME,
    versions: { core: "0.24.0", constructs: "10.6.0", aws: "25.5.0" } },
  { name: "cdktn-newest", core: "cdktn", aws: "@cdktn/provider-aws", library: CDKTN_PACKAGE_NAME,
    versions: { core: "0.24.0", constructs: "10.7.2", aws: "25.7.0" } },
];

/** Why the registry cannot be reached, or undefined when it can. */
export function registryProblem(): string | undefined {
  try {
    // No retries: an unreachable registry fails at once instead of after npm's minute of back-off.
    execFileSync("npm", ["ping", "--fetch-retries=0"], { stdio: "pipe", timeout: 20000 });
    return undefined;
  } catch (error) {
    const failure = error as { stderr?: Buffer; message: string };
    const lines = (failure.stderr?.toString() || failure.message).trim().split("\n").map((line) => line.replace(/^npm error (network )?/, ""));
    return lines.find((line) => line.includes("failed, reason:")) ?? lines.find((line) => line.startsWith("code ")) ?? lines[lines.length - 1];
  }
}

/** Declares the tier's suite; where the registry cannot be reached, skips it after one loud line on stderr. */
export function describeLibraryConsumers(name: string, fn: () => void): void {
  const problem = registryProblem();
  if (problem === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`\nlibrary consumer tier SKIPPED: the npm registry cannot be reached (npm ping: ${problem})\n\n`);
  describe.skip(name, fn);
}

/** Runs a command; rejects with the command, its folder and its output. */
export async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(" ")}\` failed with exit code ${failure.code ?? "?"} in ${cwd}\n` +
      `${failure.stdout ?? ""}\n${failure.stderr ?? ""}`.trim());
  }
}

/** A package as packed for this run: its tarball and what `npm pack` put in it. */
export interface PackedLibrary {
  readonly tarball: string;
  readonly files: Packed["files"];
}

/** Both packages by name. */
export type PackedLibraries = Readonly<Record<string, PackedLibrary>>;

/** Builds dist/ (`--no-check`: `npm test` has type-checked), then packs both packages into `dir`. */
async function packLibraries(dir: string): Promise<PackedLibraries> {
  await run(process.execPath, [path.join(ROOT, "scripts", "build.js"), "--no-check"], ROOT);
  const main = npmPack(ROOT, ["--pack-destination", dir]);
  const cdktn = packCdktn(dir, main.files);
  return {
    "mixpanel-s3-export": { tarball: path.join(dir, main.filename), files: main.files },
    [CDKTN_PACKAGE_NAME]: { tarball: cdktn.tarball, files: cdktn.files },
  };
}

/** Whether the process `pid` still runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits for the jest worker that packs (the owner of `dir`) to write its result or its failure; fails as soon
 * as that worker has ended without either.
 */
async function packedByAnother(dir: string): Promise<PackedLibraries> {
  for (;;) {
    if (fs.existsSync(path.join(dir, "packed.json"))) return JSON.parse(fs.readFileSync(path.join(dir, "packed.json"), "utf8"));
    if (fs.existsSync(path.join(dir, "failed"))) {
      throw new Error(`packing the libraries failed in another jest worker:\n${fs.readFileSync(path.join(dir, "failed"), "utf8")}`);
    }
    const owner = fs.existsSync(path.join(dir, "owner")) ? Number(fs.readFileSync(path.join(dir, "owner"), "utf8")) : undefined;
    if (owner !== undefined && !running(owner) && !fs.existsSync(path.join(dir, "packed.json"))) {
      throw new Error(`the jest worker packing the libraries into ${dir} (pid ${owner}) ended without packing them`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Packs into `runDir`/packed-libraries unless another process of the run is doing so; then waits for it. */
async function packOnce(runDir: string): Promise<PackedLibraries> {
  const dir = path.join(runDir, "packed-libraries");
  try {
    fs.mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return packedByAnother(dir);
  }
  writeWhole(path.join(dir, "owner"), String(process.pid));
  try {
    const packed = await packLibraries(dir);
    writeWhole(path.join(dir, "packed.json"), JSON.stringify(packed));
    return packed;
  } catch (error) {
    writeWhole(path.join(dir, "failed"), (error as Error).message);
    throw error;
  }
}

let packing: Promise<PackedLibraries> | undefined;

/**
 * Both packages, built and packed once per run for both files of the tier (packing is deterministic): the
 * first jest worker to ask packs into the run's folder (MIXPANEL_TEST_TMPDIR, made by the globalSetup), the
 * others wait for it. Outside a jest run, once per process.
 */
export function packedLibraries(): Promise<PackedLibraries> {
  packing ??= packOnce(process.env.MIXPANEL_TEST_TMPDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-packages-")));
  return packing;
}

/** `npm install` as a user runs it, from npm's cache where it can. */
export function npmInstall(dir: string): Promise<string> {
  return run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], dir);
}

let npmVersion: Promise<string> | undefined;

/** The app's CDK packages at their exact versions. */
function cdkDependencies(flavour: Flavour): Record<string, string> {
  return { [flavour.core]: flavour.versions.core, constructs: flavour.versions.constructs, [flavour.aws]: flavour.versions.aws };
}

/**
 * Writes the app for `flavour` into `dir`: the template with the flavour's package names, and a
 * package.json pinning its peers exactly, the library taken from its tarball. No jest or TypeScript of its
 * own: see {@link shareTools}.
 */
function writeApp(flavour: Flavour, dir: string, tarball: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(APP_TEMPLATE)) {
    const text = fs.readFileSync(path.join(APP_TEMPLATE, file), "utf8")
      .split("CDK_CORE").join(flavour.core)
      .split("CDK_AWS").join(flavour.aws)
      .split("MIXPANEL_LIBRARY").join(flavour.library);
    fs.writeFileSync(path.join(dir, file), text);
  }
  const manifest = {
    name: `analytics-${flavour.name}`,
    private: true,
    dependencies: { [flavour.library]: `file:${tarball}`, ...cdkDependencies(flavour) },
    jest: { testEnvironment: "node", roots: ["<rootDir>/out"], setupFilesAfterEnv: ["<rootDir>/out/setup.js"] },
  };
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Makes `dir` the app of `flavour`: its CDK packages copied from the install kept for them (npm installs
 * them there first where none is kept), the app written, then `npm install` adds the library from `tarball`.
 */
export async function installApp(flavour: Flavour, dir: string, tarball: Promise<string>): Promise<void> {
  npmVersion ??= run("npm", ["--version"], ROOT).then((version) => version.trim());
  const kept = await installed(flavour.name, { dependencies: cdkDependencies(flavour), npm: await npmVersion }, npmInstall);
  copyInstalled(kept, path.join(dir, "node_modules"));
  writeApp(flavour, dir, await tarball);
  await npmInstall(dir);
}

/**
 * Gives the apps below `workDir` this project's @types (@types/node and @types/jest, which their tsconfig
 * names) through `workDir`/node_modules/@types, a folder tsc searches by default; only @types, so nothing
 * else an app leaves out resolves from there.
 */
export function shareTools(workDir: string): void {
  fs.mkdirSync(path.join(workDir, "node_modules"), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules", "@types"), path.join(workDir, "node_modules", "@types"), "dir");
}

/**
 * Compiles the apps in `workDir`'s folders `names` (each with its own tsconfig and node_modules) with one
 * `tsc -b`, which parses the type declarations they share once. Resolves to each app's compile errors (the
 * whole output where it cannot tell whose they are), or undefined where it compiled.
 */
export async function compileApps(workDir: string, names: readonly string[]): Promise<Map<string, string | undefined>> {
  if (names.length === 0) return new Map();
  try {
    await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", ...names, "--pretty", "false"], workDir);
    return new Map(names.map((name) => [name, undefined]));
  } catch (error) {
    const output = (error as Error).message;
    // A diagnostic starts with its file's path (relative to workDir); the indented lines below it are its own.
    const whose = new Map<string, string[]>();
    let owner: string | undefined;
    for (const line of output.split("\n")) {
      if (!/^\s/.test(line)) owner = names.find((name) => line.startsWith(`${name}/`));
      if (owner !== undefined) whose.set(owner, [...whose.get(owner) ?? [], line]);
    }
    return new Map(names.map((name) => [name, whose.size === 0 ? output : whose.get(name)?.join("\n")]));
  }
}

/** How many of an app's own jest tests passed and failed. */
export interface AppTestResults {
  readonly passed: number;
  readonly failed: number;
  readonly total: number;
}

/**
 * Runs the own jest tests of the apps in `workDir`'s folders `names`, each with its package.json's config, in
 * one run of this project's jest (`--projects`: one start instead of four). Resolves to each app's results
 * from jest's JSON report, also where some failed; rejects where jest wrote no report.
 */
export async function testApps(workDir: string, names: readonly string[]): Promise<Map<string, AppTestResults>> {
  if (names.length === 0) return new Map();
  const report = path.join(workDir, "jest-results.json");
  const failure = await run(process.execPath, [require.resolve("jest/bin/jest"), "--projects", ...names, "--json", `--outputFile=${report}`], workDir)
    .then(() => undefined, (error: Error) => error);
  if (!fs.existsSync(report)) throw failure ?? new Error(`jest wrote no report to ${report}`);
  const { testResults } = JSON.parse(fs.readFileSync(report, "utf8")) as { testResults: { name: string; assertionResults: { status: string }[] }[] };
  return new Map(names.map((name) => {
    const statuses = testResults.filter((file) => file.name.startsWith(path.join(workDir, name) + path.sep))
      .flatMap((file) => file.assertionResults.map((result) => result.status));
    return [name, { passed: statuses.filter((status) => status === "passed").length, failed: statuses.filter((status) => status === "failed").length, total: statuses.length }];
  }));
}

/** Where each of `names` resolves from `fromDir` (a package's folder), or undefined where it does not. */
export function resolvedPackageDirs(fromDir: string, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => {
    try {
      return [name, path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }))];
    } catch {
      return [name, undefined];
    }
  }));
}

/** Every file below `dir` (an installed package's folder) with its size, as `npm pack --json` lists them. */
export function filesOfPackage(dir: string, prefix = ""): { path: string; size: number }[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesOfPackage(dir, file) : [{ path: file, size: fs.statSync(path.join(dir, file)).size }];
  });
}

/** The packages that the declarations (.d.ts) below `dir` import, by package name. */
export function packagesImportedByDeclarations(dir: string): string[] {
  const names = new Set<string>();
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") visit(file);
      if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
      for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(/(?:from |import\()["']([^"'.][^"']*)["']/g)) {
        const parts = specifier.split("/");
        names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
      }
    }
  };
  visit(dir);
  return [...names].sort();
}

/** The README section whose ES module example the tier runs. */
const README_SECTION = "## Using the construct in your own cdktf app";

/**
 * The README's ES module example, verbatim: the one ```js block of the section "Using the construct in your own
 * cdktf app". Written for cdktf; for a cdktn app its three package names are replaced as the README tells cdktn
 * users to (`cdktn`, `@cdktn/provider-aws/...`, `mixpanel-s3-export-cdktn`), each of them in quotes, and a
 * name that is not there fails, so the example cannot drift from what the test runs.
 */
export function readmeEsmExample(flavour: Flavour): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n${README_SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no section "${README_SECTION}"`);
  const end = readme.indexOf("\n## ", start + README_SECTION.length + 2);
  const blocks = [...readme.slice(start, end < 0 ? undefined : end).matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  if (blocks.length !== 1) throw new Error(`README.md's section "${README_SECTION}" has ${blocks.length} \`\`\`js blocks, not one`);
  if (flavour.core === "cdktf") return blocks[0];
  const names: [string, string][] = [['"cdktf"', `"${flavour.core}"`], ['"@cdktf/provider-aws/', `"${flavour.aws}/`], ['"mixpanel-s3-export"', `"${flavour.library}"`]];
  return names.reduce((source, [from, to]) => {
    if (!source.includes(from)) throw new Error(`README.md's ES module example does not import ${from}, so it cannot be written for ${flavour.name}`);
    return source.split(from).join(to);
  }, blocks[0]);
}
